namespace Switchyard.Guardrails.Leak;

/// <summary>How a span of the answer gave the system prompt away.</summary>
internal enum LeakKind
{
    /// <summary>A run of at least the minimum number of consecutive words of the system prompt.</summary>
    Verbatim,

    /// <summary>A configured canary token, found exactly.</summary>
    Canary,
}
