using System.Text.Json;

namespace Switchyard.Tracing;

/// <summary>
/// Aggregates over gateway calls for any time window and any one dimension (<see cref="TraceAggregates.Dimensions"/>):
/// requests, errors, tokens, cost, latency and time-to-first-token percentiles, feedback.
/// </summary>
internal interface ITraceAggregates
{
    /// <summary>
    /// Writes <c>{"from","to","bucket_seconds"?, "groups"|"buckets": [...]}</c> over <see cref="TraceAggregates.Window"/>;
    /// a null bucket means one summary per group. With <paramref name="approximate"/>, a view filtered at most by model
    /// group (or by key and team over whole hours) may be answered from the rollups, percentiles within about 2 %.
    /// </summary>
    Task WriteAsync(TraceFilter filter, string? groupBy, TimeSpan? bucket, Utf8JsonWriter json, bool approximate, CancellationToken cancellationToken);
}
