namespace Switchyard.Guardrails;

/// <summary>Where a text sits in a call; injection in data (tool results, documents) looks different from a user's own words.</summary>
internal enum GuardContent
{
    /// <summary>The system or developer prompt: the application's own words.</summary>
    Instruction,

    /// <summary>What a user typed.</summary>
    User,

    /// <summary>Content that arrives as data: tool and function results.</summary>
    Data,

    /// <summary>The model's answer.</summary>
    Answer,
}
