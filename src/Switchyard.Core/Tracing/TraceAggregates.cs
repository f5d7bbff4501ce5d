namespace Switchyard.Tracing;

/// <summary>What the aggregates (<see cref="ITraceAggregates"/>) accept, whichever store answers them.</summary>
internal static class TraceAggregates
{
    public const int MaxBuckets = 10_000;

    /// <summary>Dimension name in the API → column of <c>calls</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Dimensions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["model"] = "model_group",
        ["deployment"] = "deployment",
        ["provider"] = "provider",
        ["key"] = "key_id",
        ["team"] = "team",
        ["user"] = "user_id",
        ["session"] = "session_id",
        ["status"] = "status",
        ["api"] = "api",
        ["prompt"] = "prompt_name",
        ["prompt_version"] = "prompt_version",
        ["variant"] = "prompt_variant",
    };

    /// <summary>The window a filter asks for: <c>to</c> defaults to now, <c>from</c> to a day before <c>to</c>.</summary>
    public static (long From, long To) Window(TraceFilter filter, TimeProvider time)
    {
        var to = filter.ToUs ?? time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        return (filter.FromUs ?? to - (long)TimeSpan.FromDays(1).TotalMicroseconds, to);
    }
}
