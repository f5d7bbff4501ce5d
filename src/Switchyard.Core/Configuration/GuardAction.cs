namespace Switchyard.Configuration;

/// <summary>What a guard does when it fires.</summary>
internal enum GuardAction
{
    /// <summary>Refuse the call with an error in the client's API shape (OpenAI 400 <c>guardrail_blocked</c>).</summary>
    Block,

    /// <summary>Remove the span and go on.</summary>
    Redact,

    /// <summary>Replace the span with its type, <c>[EMAIL_ADDRESS]</c>, and go on.</summary>
    Mask,

    /// <summary>Replace the span with a salted hash of it, the same value for the same text within a process.</summary>
    Hash,

    /// <summary>Replace the span with a numbered placeholder the upstream sees; the client gets the original back in the answer.</summary>
    Pseudonymise,

    /// <summary>Record the verdict only.</summary>
    Flag,

    /// <summary>Record the verdict and say so in the <c>x-switchyard-guardrails</c> response header.</summary>
    Warn,
}
