namespace Switchyard.Configuration;

/// <summary>Who decides for an injection, toxicity or groundedness guard.</summary>
internal enum GuardBackend
{
    /// <summary>The detector shipped with the gateway, in process, with no network.</summary>
    Local,

    /// <summary>A model group, asked through the gateway itself (the call is traced and priced like any other).</summary>
    Judge,

    /// <summary>Toxicity: the <c>/moderations</c> endpoint of an OpenAI-format deployment of a model group.</summary>
    Moderation,
}
