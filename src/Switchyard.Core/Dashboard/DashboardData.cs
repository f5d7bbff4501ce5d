using System.Text.Json;
using Switchyard.Tracing;

namespace Switchyard.Dashboard;

/// <summary>
/// What the dashboard's pages read, from the same queries the <c>/api</c> endpoints answer with, so a
/// chart and the API (and the traces behind both) always agree.
/// </summary>
internal sealed class DashboardData(TraceAggregates aggregates, TraceStore traces, Storage.SqliteDatabase database, TimeProvider time)
{
    /// <summary>The feedback on each of <paramref name="traceIds"/>: how many, and how many positive.</summary>
    public Dictionary<string, (int Count, int Positive)> FeedbackOn(IReadOnlyCollection<string> traceIds, Identity.Reach reach)
    {
        var feedback = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        if (traceIds.Count == 0)
        {
            return feedback;
        }

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var names = new List<string>();
        foreach (var (id, i) in traceIds.Select((id, i) => (id, i)))
        {
            names.Add("$t" + i);
            command.Parameters.AddWithValue("$t" + i, id);
        }

        command.Parameters.AddWithValue("$team", (object?)reach.Team ?? DBNull.Value);
        command.CommandText = $"SELECT trace_id, COUNT(*), SUM(CASE WHEN value > 0 THEN 1 ELSE 0 END) FROM scores WHERE name = 'feedback' AND trace_id IN ({string.Join(",", names)}) AND ($team IS NULL OR team IS NULL OR team = $team) GROUP BY trace_id";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            feedback[reader.GetString(0)] = (reader.GetInt32(1), reader.GetInt32(2));
        }

        return feedback;
    }

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary><c>/api/metrics/timeseries</c>'s answer: <c>buckets</c>, each with the summary fields.</summary>
    public JsonDocument Timeseries(TraceFilter filter, TimeSpan bucket, Identity.Reach reach) => Json(json => aggregates.Write(filter.Within(reach), null, bucket, json, approximate: true));

    /// <summary><c>/api/metrics/summary</c>'s single group, or null when the window holds no call.</summary>
    public JsonElement? Summary(TraceFilter filter, Identity.Reach reach)
    {
        using var document = Json(json => aggregates.Write(filter.Within(reach), null, null, json, approximate: true));
        var groups = document.RootElement.GetProperty("groups");
        return groups.GetArrayLength() == 0 ? null : groups[0].Clone();
    }

    /// <summary><c>/api/metrics/summary?group_by=...</c>'s groups over a filter.</summary>
    public JsonDocument SummaryBy(TraceFilter filter, string groupBy, Identity.Reach reach) => Json(json => aggregates.Write(filter.Within(reach), groupBy, null, json));

    /// <summary><c>/api/traces</c>'s answer: <c>data</c> and <c>next_cursor</c>.</summary>
    public JsonDocument Traces(TraceFilter filter, Identity.Reach reach) => Json(json => traces.List(filter.Within(reach), json));

    /// <summary><c>/api/traces/{id}</c>'s answer, or null when the trace is unknown.</summary>
    public JsonDocument? Trace(string traceId, Identity.Reach reach)
    {
        var found = false;
        var document = Json(json => found = traces.Get(traceId, json, reach));
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
            if (json.CurrentDepth == 0 && json.BytesPending + json.BytesCommitted == 0)
            {
                json.WriteStartObject();
                json.WriteEndObject();
            }
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }
}
