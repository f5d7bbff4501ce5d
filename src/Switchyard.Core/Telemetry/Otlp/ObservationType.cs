namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// The observation types a span maps to. The names are Langfuse's observation types, which already
/// cover the OpenInference span kinds and the GenAI operations.
/// </summary>
internal static class ObservationType
{
    public const string Generation = "generation";
    public const string Embedding = "embedding";
    public const string Tool = "tool";
    public const string Retrieval = "retrieval";
    public const string Agent = "agent";
    public const string Chain = "chain";
    public const string Guardrail = "guardrail";
    public const string Evaluator = "evaluator";
    public const string Event = "event";
    public const string Span = "span";

    private static readonly HashSet<string> s_all =
        [Generation, Embedding, Tool, Retrieval, Agent, Chain, Guardrail, Evaluator, Event, Span];

    /// <summary>The canonical name for <paramref name="value"/> (case-insensitive), or null when it is not a type.</summary>
    public static string? Normalize(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var lower = value.Trim().ToLowerInvariant();
        // Langfuse's SDKs also write "retriever"; the observation type is "retrieval".
        if (lower == "retriever")
        {
            return Retrieval;
        }

        return s_all.TryGetValue(lower, out var known) ? known : null;
    }
}
