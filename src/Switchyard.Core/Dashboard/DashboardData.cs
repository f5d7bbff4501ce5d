using System.Text.Json;
using Switchyard.Tracing;

namespace Switchyard.Dashboard;

/// <summary>
/// What the dashboard's pages read, from the same queries the <c>/api</c> endpoints answer with, so a
/// chart and the API (and the traces behind both) always agree.
/// </summary>
internal sealed class DashboardData(ITraceAggregates aggregates, ITraceReader traces, TimeProvider time)
{
    /// <summary>The feedback on each of <paramref name="traceIds"/>: how many, and how many positive.</summary>
    public Task<Dictionary<string, (int Count, int Positive)>> FeedbackOnAsync(IReadOnlyCollection<string> traceIds, Identity.Reach reach, CancellationToken cancellationToken) =>
        traces.FeedbackOnAsync(traceIds, reach, cancellationToken);

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary><c>/api/metrics/timeseries</c>'s answer: <c>buckets</c>, each with the summary fields.</summary>
    public Task<JsonDocument> TimeseriesAsync(TraceFilter filter, TimeSpan bucket, Identity.Reach reach, CancellationToken cancellationToken) =>
        JsonAsync(json => aggregates.WriteAsync(filter.Within(reach), null, bucket, json, approximate: true, cancellationToken));

    /// <summary><c>/api/metrics/summary</c>'s single group, or null when the window holds no call.</summary>
    public async Task<JsonElement?> SummaryAsync(TraceFilter filter, Identity.Reach reach, CancellationToken cancellationToken)
    {
        using var document = await JsonAsync(json => aggregates.WriteAsync(filter.Within(reach), null, null, json, approximate: true, cancellationToken)).ConfigureAwait(false);
        var groups = document.RootElement.GetProperty("groups");
        return groups.GetArrayLength() == 0 ? null : groups[0].Clone();
    }

    /// <summary><c>/api/metrics/summary?group_by=...</c>'s groups over a filter.</summary>
    public Task<JsonDocument> SummaryByAsync(TraceFilter filter, string groupBy, Identity.Reach reach, CancellationToken cancellationToken) =>
        JsonAsync(json => aggregates.WriteAsync(filter.Within(reach), groupBy, null, json, approximate: false, cancellationToken));

    /// <summary><c>/api/traces</c>'s answer: <c>data</c> and <c>next_cursor</c>.</summary>
    public Task<JsonDocument> TracesAsync(TraceFilter filter, Identity.Reach reach, CancellationToken cancellationToken) =>
        JsonAsync(json => traces.ListAsync(filter.Within(reach), json, null, includeContent: false, cancellationToken));

    /// <summary><c>/api/traces/{id}</c>'s answer, or null when the trace is unknown.</summary>
    public async Task<JsonDocument?> TraceAsync(string traceId, Identity.Reach reach, CancellationToken cancellationToken)
    {
        var found = false;
        var document = await JsonAsync(async json => found = await traces.GetAsync(traceId, json, reach, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        if (!found)
        {
            document.Dispose();
            return null;
        }

        return document;
    }

    /// <summary>Whatever <paramref name="write"/> writes (one JSON value), parsed.</summary>
    internal static JsonDocument Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
            EnsureValue(json);
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    /// <summary>As <see cref="Json"/>, for a store that writes while it reads asynchronously.</summary>
    internal static async Task<JsonDocument> JsonAsync(Func<Utf8JsonWriter, Task> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        await using (var json = new Utf8JsonWriter(buffer))
        {
            await write(json).ConfigureAwait(false);
            EnsureValue(json);
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    /// <summary>A writer that wrote nothing (a trace not found) still parses, as an empty object.</summary>
    private static void EnsureValue(Utf8JsonWriter json)
    {
        if (json.CurrentDepth == 0 && json.BytesPending + json.BytesCommitted == 0)
        {
            json.WriteStartObject();
            json.WriteEndObject();
        }
    }
}
