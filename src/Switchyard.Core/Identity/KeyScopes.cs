namespace Switchyard.Identity;

/// <summary>What a virtual key may do. The admin key has every scope.</summary>
[Flags]
internal enum KeyScopes
{
    None = 0,

    /// <summary>Model calls under <c>/v1</c>.</summary>
    Inference = 1,

    /// <summary>OTLP spans and scores.</summary>
    Ingest = 2,

    /// <summary>Only <c>POST /api/feedback</c>: safe to ship inside a browser app.</summary>
    Feedback = 4,

    /// <summary>Dashboard and <c>GET /api/...</c> reads.</summary>
    Read = 8,

    /// <summary>Everything, including managing keys.</summary>
    Admin = 16,

    /// <summary>May turn named guardrails off for a call with <c>x-switchyard-guardrails: off=NAME</c>.</summary>
    GuardrailsOff = 32,

    /// <summary>May set its own model and parameters on a call that names a stored prompt; without it the prompt version's win.</summary>
    PromptOverride = 64,

    All = Inference | Ingest | Feedback | Read | Admin | GuardrailsOff | PromptOverride,
}
