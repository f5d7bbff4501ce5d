using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchyard.Tracing;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// Aggregates over the <c>calls</c> table: counts and sums are exact; percentiles are exact too (nearest
/// rank over every call in the window). Approximate views come from the rollups (<see cref="IRollupStore"/>).
/// </summary>
internal sealed class SqliteTraceAggregates(SqliteDatabase database, TimeProvider time, IRollupStore? minutes = null) : ITraceAggregates
{
    public async Task WriteAsync(TraceFilter filter, string? groupBy, TimeSpan? bucket, Utf8JsonWriter json, bool approximate, CancellationToken cancellationToken)
    {
        var (from, to) = TraceAggregates.Window(filter, time);
        if (approximate && minutes is not null && groupBy is null && RollupFor(filter with { FromUs = from }, bucket) is var grain and not Grain.None)
        {
            await WriteFromRollupsAsync(filter with { FromUs = from, ToUs = to, Cursor = null }, bucket, grain, json, cancellationToken).ConfigureAwait(false);
            return;
        }

        filter = filter with { FromUs = from, ToUs = to, Cursor = null };
        var groupColumn = groupBy is null ? null : TraceAggregates.Dimensions[groupBy];
        var bucketUs = bucket is { } b ? (long)b.TotalMicroseconds : 0;

        // Rows arrive in time order, so consecutive rows usually share a bucket and often a group:
        // remembering the last key saves a dictionary lookup per row; output is sorted once at the end.
        var stats = new Dictionary<(long Bucket, string Group), Stats>();
        (long Bucket, string Group) lastKey = (long.MinValue, "");
        Stats? last = null;
        var groupIsText = groupColumn is not null && groupColumn is not ("status" or "prompt_version");
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            var where = SqliteTraceReader.Where(filter, command);
            command.CommandText = $"SELECT c.start_time_us, {(groupColumn is null ? "NULL" : "c." + groupColumn)}, c.status, c.input_tokens, c.output_tokens, c.cached_tokens, c.reasoning_tokens, c.cost_nanousd, c.latency_us, c.ttft_us, c.cache, c.cost_saved_nanousd FROM calls c WHERE {string.Join(" AND ", where)}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (bucketUs == 0 ? 0 : from + ((reader.GetInt64(0) - from) / bucketUs * bucketUs), GroupOf(reader, groupIsText));
                if (last is null || key != lastKey)
                {
                    if (!stats.TryGetValue(key, out last))
                    {
                        stats[key] = last = new Stats();
                    }

                    lastKey = key;
                }

                last.Add(reader);
            }
        }

        await using (var command = connection.CreateCommand())
        {
            // Feedback (👍 = positive value, 👎 = negative) on the calls in the window.
            var where = SqliteTraceReader.Where(filter, command);
            // Feedback is always given after its call started: bounding the scores by the window keeps
            // this query from reading every score ever stored.
            command.Parameters.AddWithValue("$feedbackFrom", from);
            command.CommandText = $"SELECT c.start_time_us, {(groupColumn is null ? "NULL" : "c." + groupColumn)}, s.value FROM scores s JOIN calls c ON c.trace_id = s.trace_id WHERE s.name = 'feedback' AND s.created_us >= $feedbackFrom AND {string.Join(" AND ", where)}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (bucketUs == 0 ? 0 : from + ((reader.GetInt64(0) - from) / bucketUs * bucketUs), GroupOf(reader, groupIsText));
                if (stats.TryGetValue(key, out var s))
                {
                    s.AddFeedback(reader.IsDBNull(2) ? 0 : reader.GetDouble(2));
                }
            }
        }

        json.WriteStartObject();
        json.WriteString("from", Format(from));
        json.WriteString("to", Format(to));
        if (groupBy is not null)
        {
            json.WriteString("group_by", groupBy.ToLowerInvariant());
        }

        if (bucketUs > 0)
        {
            json.WriteNumber("bucket_seconds", bucketUs / 1_000_000);
        }

        json.WriteStartArray(bucketUs > 0 ? "buckets" : "groups");
        foreach (var ((start, group), s) in stats.OrderBy(p => p.Key.Bucket).ThenBy(p => p.Key.Group, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            if (bucketUs > 0)
            {
                json.WriteString("start", Format(start));
            }

            if (groupBy is not null)
            {
                json.WriteString(groupBy.ToLowerInvariant(), group.Length == 0 ? null : group);
            }

            s.Write(json);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private enum Grain
    {
        None,
        Minute,
        Hour,
    }

    /// <summary>
    /// Which rollups hold exactly what the filter asks: the minutes for a model group filter over whole
    /// minutes; the hours for model group, key and team filters over whole hours; else none.
    /// </summary>
    private static Grain RollupFor(TraceFilter f, TimeSpan? bucket)
    {
        if (f.ScopeTeam is not null && f.ScopeTeam != f.Team)
        {
            return Grain.None;
        }

        if (f is not { Deployment: null, User: null, Session: null, Tag: null, Metadata: null, Prompt: null, PromptVersion: null, PromptLabel: null, Variant: null, ModelChanged: false, Status: null, MinCostUsd: null, MinLatencyMs: null, Text: null })
        {
            return Grain.None;
        }

        var bucketUs = bucket is { } b ? (long)b.TotalMicroseconds : 0;
        if (f.Key is null && f.Team is null && f.FromUs % MinuteRollups.MinuteUs == 0 && bucketUs % MinuteRollups.MinuteUs == 0)
        {
            return Grain.Minute;
        }

        return f.FromUs % MinuteRollups.HourUs == 0 && bucketUs % MinuteRollups.HourUs == 0 ? Grain.Hour : Grain.None;
    }

    private async Task WriteFromRollupsAsync(TraceFilter filter, TimeSpan? bucket, Grain grain, Utf8JsonWriter json, CancellationToken cancellationToken)
    {
        var (from, to) = (filter.FromUs!.Value, filter.ToUs!.Value);
        var bucketUs = bucket is { } b ? (long)b.TotalMicroseconds : 0;
        var stats = new SortedDictionary<long, (MinuteStats Stats, long Feedback, long Positive, long Negative)>();
        var total = new MinuteStats();
        var rows = await (grain == Grain.Minute
            ? minutes!.ReadMinutesAsync(from, to, filter.Model, cancellationToken)
            : minutes!.ReadHoursAsync(from, to, filter.Model, filter.Key, filter.Team, cancellationToken)).ConfigureAwait(false);
        foreach (var (minute, bytes) in rows)
        {
            var key = bucketUs == 0 ? 0 : from + ((minute - from) / bucketUs * bucketUs);
            if (!stats.TryGetValue(key, out var s))
            {
                stats[key] = s = (new MinuteStats(), 0, 0, 0);
            }

            s.Stats.MergeSerialized(bytes);
            if (bucketUs > 0)
            {
                total.MergeSerialized(bytes);
            }
        }

        long totalFeedback = 0, totalPositive = 0, totalNegative = 0;

        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = connection.CreateCommand())
        {
            var where = SqliteTraceReader.Where(filter, command);
            command.Parameters.AddWithValue("$feedbackFrom", from);
            command.CommandText = $"SELECT c.start_time_us, s.value FROM scores s JOIN calls c ON c.trace_id = s.trace_id WHERE s.name = 'feedback' AND s.created_us >= $feedbackFrom AND {string.Join(" AND ", where)}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = bucketUs == 0 ? 0 : from + ((reader.GetInt64(0) - from) / bucketUs * bucketUs);
                if (stats.TryGetValue(key, out var s))
                {
                    var value = reader.IsDBNull(1) ? 0 : reader.GetDouble(1);
                    stats[key] = (s.Stats, s.Feedback + 1, s.Positive + (value > 0 ? 1 : 0), s.Negative + (value < 0 ? 1 : 0));
                    (totalFeedback, totalPositive, totalNegative) = (totalFeedback + 1, totalPositive + (value > 0 ? 1 : 0), totalNegative + (value < 0 ? 1 : 0));
                }
            }
        }

        json.WriteStartObject();
        json.WriteString("from", Format(from));
        json.WriteString("to", Format(to));
        if (bucketUs > 0)
        {
            json.WriteNumber("bucket_seconds", bucketUs / 1_000_000);
        }

        json.WriteBoolean("approximate_percentiles", true);
        if (bucketUs > 0 && total.Requests > 0)
        {
            // The whole window too, from the same read: the dashboard's figures and its charts in one pass.
            json.WriteStartObject("summary");
            total.Write(json);
            WriteFeedback(json, totalFeedback, totalPositive, totalNegative);
            json.WriteEndObject();
        }

        json.WriteStartArray(bucketUs > 0 ? "buckets" : "groups");
        foreach (var (start, s) in stats)
        {
            if (s.Stats.Requests == 0)
            {
                continue;
            }

            json.WriteStartObject();
            if (bucketUs > 0)
            {
                json.WriteString("start", Format(start));
            }

            s.Stats.Write(json);
            WriteFeedback(json, s.Feedback, s.Positive, s.Negative);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFeedback(Utf8JsonWriter json, long count, long positive, long negative)
    {
        json.WriteStartObject("feedback");
        json.WriteNumber("count", count);
        json.WriteNumber("positive", positive);
        json.WriteNumber("negative", negative);
        json.WriteEndObject();
    }

    private static string GroupOf(SqliteDataReader reader, bool text) =>
        reader.IsDBNull(1) ? "" : text ? reader.GetString(1) : reader.GetInt64(1).ToString(CultureInfo.InvariantCulture);

    private static string Format(long us) => DateTimeOffset.FromUnixTimeMilliseconds(us / 1000).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>One group or bucket read from the calls: the totals, and every latency for exact percentiles.</summary>
    private sealed class Stats
    {
        private readonly MinuteStats _totals = new();
        private readonly List<long> _latency = [];
        private readonly List<long> _ttft = [];
        private long _feedback, _positive, _negative;

        public void Add(SqliteDataReader r)
        {
            long? ttft = r.IsDBNull(9) ? null : r.GetInt64(9);
            _totals.Add(r.GetInt32(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.IsDBNull(7) ? null : r.GetInt64(7), r.GetInt64(8), ttft, r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetInt64(11));
            _latency.Add(r.GetInt64(8));
            if (ttft is { } t)
            {
                _ttft.Add(t);
            }
        }

        public void AddFeedback(double value)
        {
            _feedback++;
            if (value > 0)
            {
                _positive++;
            }
            else if (value < 0)
            {
                _negative++;
            }
        }

        public void Write(Utf8JsonWriter json)
        {
            _totals.WriteCounts(json);
            WritePercentiles(json, "latency_ms", _latency);
            WritePercentiles(json, "ttft_ms", _ttft);
            _totals.WriteCache(json);
            WriteFeedback(json, _feedback, _positive, _negative);
        }

        private static void WritePercentiles(Utf8JsonWriter json, string name, List<long> values)
        {
            json.WriteStartObject(name);
            if (values.Count > 0)
            {
                values.Sort();
                foreach (var (label, p) in (ReadOnlySpan<(string, double)>)[("p50", 0.50), ("p95", 0.95), ("p99", 0.99)])
                {
                    // Nearest rank: the smallest value with at least p of the values at or below it.
                    var rank = (int)Math.Ceiling(p * values.Count) - 1;
                    json.WriteNumber(label, Math.Round(values[Math.Clamp(rank, 0, values.Count - 1)] / 1000.0, 3));
                }
            }

            json.WriteEndObject();
        }
    }
}
