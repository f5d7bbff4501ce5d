using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchyard.Tracing;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// Reads traces from the embedded store: filtered, cursor-paginated lists of gateway calls, and one
/// trace with every span (gateway calls, their attempts, spans ingested over OTLP) and its scores.
/// </summary>
internal sealed class SqliteTraceReader(SqliteDatabase database) : ITraceReader
{
    private const string ListColumns = "c.id, c.trace_id, c.span_id, c.parent_span_id, c.start_time_us, c.api, c.model_group, c.deployment, c.provider, c.upstream_model, c.status, c.error_type, c.error_message, c.stream, c.input_tokens, c.output_tokens, c.cached_tokens, c.cache_write_tokens, c.reasoning_tokens, c.usage_reported, c.finish_reason, c.latency_us, c.ttft_us, c.key_id, c.team, c.user_id, c.session_id, c.tags, c.metadata, c.cost_nanousd, c.cache, c.cost_saved_nanousd, c.cache_similarity, c.cache_reason, c.guardrails, c.prompt_name, c.prompt_version, c.prompt_label, c.prompt_variant, c.model_change";

    public async Task ListAsync(TraceFilter filter, Utf8JsonWriter? json, Stream? jsonLines, bool includeContent, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // With a tag, walk the tag's index newest first and join each call: a common tag would
        // otherwise make SQLite collect and sort every tagged call to return one page (250 ms → 0.2 ms
        // on a million calls, docs/benchmarks.md).
        var byTag = filter.Tag is not null;
        var where = Where(filter, command, tagJoined: byTag);
        var order = byTag ? "t.start_time_us DESC, t.call_id DESC" : "c.start_time_us DESC, c.id DESC";
        if (filter.Cursor is { } cursor)
        {
            where.Add(byTag ? "(t.start_time_us, t.call_id) < ($curStart, $curId)" : "(c.start_time_us, c.id) < ($curStart, $curId)");
            command.Parameters.AddWithValue("$curStart", cursor.StartUs);
            command.Parameters.AddWithValue("$curId", cursor.Id);
        }

        var columns = includeContent ? ListColumns + ", c.request_content, c.response_content" : ListColumns;
        var from = byTag ? "call_tags t JOIN calls c ON c.id = t.call_id" : "calls c";
        command.CommandText = $"SELECT {columns} FROM {from} {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY {order} LIMIT $limit";
        command.Parameters.AddWithValue("$limit", filter.Limit + 1);

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        json?.WriteStartObject();
        json?.WriteStartArray("data");
        var count = 0;
        var more = false;
        (long Start, long Id) last = default;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (++count > filter.Limit)
            {
                more = true;
                break;
            }

            last = (reader.GetInt64(4), reader.GetInt64(0));
            if (jsonLines is not null)
            {
                await using var line = new Utf8JsonWriter(jsonLines);
                WriteCall(line, reader);
                await line.FlushAsync(cancellationToken).ConfigureAwait(false);
                jsonLines.WriteByte((byte)'\n');
            }
            else
            {
                WriteCall(json!, reader);
            }
        }

        if (json is not null)
        {
            // The page ends at the last row shown; the next page starts strictly after it.
            json.WriteEndArray();
            json.WriteString("next_cursor", more ? TraceFilter.EncodeCursor(last.Start, last.Id) : null);
            json.WriteEndObject();
        }
    }

    /// <summary>The SQL conditions (over alias <c>c</c> = calls) for a filter; parameters are added to the command.</summary>
    internal static List<string> Where(TraceFilter filter, SqliteCommand command, bool tagJoined = false)
    {
        var where = new List<string>();
        void Add(string clause, string name, object value)
        {
            where.Add(clause);
            command.Parameters.AddWithValue(name, value);
        }

        if (filter.FromUs is { } from)
        {
            Add("c.start_time_us >= $from", "$from", from);
        }

        if (filter.ToUs is { } to)
        {
            Add("c.start_time_us < $to", "$to", to);
        }

        if (filter.ScopeTeam is { } scope && scope != filter.Team)
        {
            Add("c.team = $scopeTeam", "$scopeTeam", scope);
        }

        // Plain equality filters, each on a column the filter indexes lead with.
        foreach (var (value, column) in (ReadOnlySpan<(string?, string)>)[(filter.Model, "model_group"), (filter.Deployment, "deployment"), (filter.Key, "key_id"), (filter.Team, "team"), (filter.User, "user_id"), (filter.Session, "session_id"), (filter.Prompt, "prompt_name"), (filter.PromptLabel, "prompt_label"), (filter.Variant, "prompt_variant")])
        {
            if (value is not null)
            {
                Add($"c.{column} = ${column}", "$" + column, value);
            }
        }

        if (filter.PromptVersion is { } promptVersion)
        {
            Add("c.prompt_version = $promptVersion", "$promptVersion", promptVersion);
        }

        if (filter.ModelChanged)
        {
            where.Add("c.model_change IS NOT NULL");
        }

        if (filter.Tag is { } tag)
        {
            Add(tagJoined ? "t.tag = $tag" : "c.id IN (SELECT call_id FROM call_tags WHERE tag = $tag)", "$tag", tag);
        }

        if (filter.Metadata is { } metadata)
        {
            where.Add("json_extract(c.metadata, $metaPath) = $metaValue");
            command.Parameters.AddWithValue("$metaPath", "$.\"" + metadata.Key + "\"");
            command.Parameters.AddWithValue("$metaValue", metadata.Value);
        }

        switch (filter.Status)
        {
            case -1:
                where.Add("c.status >= 400");
                break;
            case -2:
                where.Add("c.status < 400");
                break;
            case { } status:
                Add("c.status = $status", "$status", status);
                break;
        }

        if (filter.MinCostUsd is { } minCost)
        {
            Add("c.cost_nanousd >= $minCost", "$minCost", (long)(minCost * 1_000_000_000m));
        }

        if (filter.MinLatencyMs is { } minLatency)
        {
            Add("c.latency_us >= $minLatency", "$minLatency", (long)(minLatency * 1000));
        }

        if (filter.Text is { } text)
        {
            Add("(instr(c.request_content, $text) > 0 OR instr(c.response_content, $text) > 0)", "$text", text);
        }

        return where;
    }

    public async Task<bool> GetAsync(string traceId, Utf8JsonWriter json, Identity.Reach reach, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<SpanNode>();
        var team = (object?)reach.Team ?? DBNull.Value;
        var owned = reach.ReadsEverything;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {ListColumns}, c.request_content, c.response_content, c.attempts FROM calls c WHERE c.trace_id = $t AND ($team IS NULL OR c.team = $team) ORDER BY c.start_time_us, c.id";
            command.Parameters.AddWithValue("$t", traceId);
            command.Parameters.AddWithValue("$team", team);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var call = new Utf8JsonWriter(buffer))
                {
                    WriteCall(call, reader);
                }

                var start = reader.GetInt64(4);
                var spanId = reader.GetString(2);
                var node = new SpanNode(spanId, reader.IsDBNull(3) ? null : reader.GetString(3), start, start + reader.GetInt64(21), "gateway", buffer.WrittenMemory.ToArray());
                nodes.Add(node);
                owned = true;
                AddAttempts(nodes, node, reader.IsDBNull(42) ? null : reader.GetString(42));
                AddGuardrails(node, reader.IsDBNull(34) ? null : reader.GetString(34));
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT span_id, parent_span_id, name, kind, type, service, start_time_us, end_time_us, status_code, status_message, model, provider, input_tokens, output_tokens, cost_nanousd, user_id, session_id, input, output, attributes, events, team FROM spans WHERE trace_id = $t AND ($team IS NULL OR team IS NULL OR team = $team) ORDER BY start_time_us, id";
            command.Parameters.AddWithValue("$t", traceId);
            command.Parameters.AddWithValue("$team", team);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var span = new Utf8JsonWriter(buffer))
                {
                    span.WriteStartObject();
                    span.WriteString("span_id", reader.GetString(0));
                    WriteNullable(span, "parent_span_id", reader, 1);
                    span.WriteString("name", reader.GetString(2));
                    span.WriteNumber("kind", reader.GetInt32(3));
                    span.WriteString("type", reader.GetString(4));
                    WriteNullable(span, "service", reader, 5);
                    span.WriteString("start_time", FormatTime(reader.GetInt64(6)));
                    span.WriteString("end_time", FormatTime(reader.GetInt64(7)));
                    span.WriteNumber("duration_ms", Math.Round((reader.GetInt64(7) - reader.GetInt64(6)) / 1000.0, 3));
                    span.WriteString("status", reader.GetInt32(8) switch { 1 => "ok", 2 => "error", _ => "unset" });
                    WriteNullable(span, "status_message", reader, 9);
                    WriteNullable(span, "model", reader, 10);
                    WriteNullable(span, "provider", reader, 11);
                    if (!reader.IsDBNull(12) || !reader.IsDBNull(13))
                    {
                        span.WriteStartObject("usage");
                        span.WriteNumber("input_tokens", reader.IsDBNull(12) ? 0 : reader.GetInt64(12));
                        span.WriteNumber("output_tokens", reader.IsDBNull(13) ? 0 : reader.GetInt64(13));
                        span.WriteEndObject();
                    }

                    if (reader.IsDBNull(14))
                    {
                        span.WriteNull("cost_usd");
                    }
                    else
                    {
                        span.WriteString("cost_usd", (reader.GetInt64(14) / 1_000_000_000m).ToString(CultureInfo.InvariantCulture));
                    }

                    WriteNullable(span, "user", reader, 15);
                    WriteNullable(span, "session", reader, 16);
                    WriteNullable(span, "input", reader, 17);
                    WriteNullable(span, "output", reader, 18);
                    WriteRaw(span, "attributes", reader, 19);
                    WriteRaw(span, "events", reader, 20);
                    span.WriteEndObject();
                }

                nodes.Add(new SpanNode(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(6), reader.GetInt64(7), "otlp", buffer.WrittenMemory.ToArray()));
                owned |= !reader.IsDBNull(21);
            }
        }

        var scores = await ReadScoresAsync(connection, traceId, team, cancellationToken).ConfigureAwait(false);
        if (!owned || (nodes.Count == 0 && scores.Count == 0))
        {
            return false;
        }

        var byId = new Dictionary<string, SpanNode>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            byId.TryAdd(node.SpanId, node);
        }

        var roots = new List<SpanNode>();
        foreach (var node in nodes)
        {
            if (node.ParentSpanId is { } parent && byId.TryGetValue(parent, out var parentNode) && !ReferenceEquals(parentNode, node))
            {
                parentNode.Children.Add(node);
            }
            else
            {
                roots.Add(node);
            }
        }

        BreakCycles(nodes, byId, roots);
        json.WriteStartObject();
        json.WriteString("trace_id", traceId);
        if (nodes.Count > 0)
        {
            json.WriteString("start_time", FormatTime(nodes.Min(n => n.StartUs)));
            json.WriteNumber("duration_ms", Math.Round((nodes.Max(n => n.EndUs) - nodes.Min(n => n.StartUs)) / 1000.0, 3));
        }

        json.WriteNumber("span_count", nodes.Count);
        json.WriteStartArray("spans");
        foreach (var root in roots)
        {
            WriteNode(json, root, 0);
        }

        json.WriteEndArray();
        json.WriteStartArray("scores");
        foreach (var score in scores)
        {
            json.WriteRawValue(score, skipInputValidation: true);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        return true;
    }

    /// <summary>
    /// Spans whose parents point at each other (ingested spans can claim any parent) are reachable
    /// from no root; each such loop is cut at its earliest span, which becomes a root, so every
    /// stored span is shown once.
    /// </summary>
    private static void BreakCycles(List<SpanNode> nodes, Dictionary<string, SpanNode> byId, List<SpanNode> roots)
    {
        var reached = new HashSet<SpanNode>(ReferenceEqualityComparer.Instance);
        foreach (var root in roots)
        {
            Reach(root, reached);
        }

        foreach (var node in nodes.OrderBy(n => n.StartUs))
        {
            if (reached.Contains(node))
            {
                continue;
            }

            byId[node.ParentSpanId!].Children.Remove(node);
            roots.Add(node);
            Reach(node, reached);
        }
    }

    private static void Reach(SpanNode root, HashSet<SpanNode> reached)
    {
        var pending = new Stack<SpanNode>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            if (reached.Add(node))
            {
                foreach (var child in node.Children)
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static void AddAttempts(List<SpanNode> nodes, SpanNode call, string? attemptsJson)
    {
        if (attemptsJson is null)
        {
            return;
        }

        using var doc = JsonDocument.Parse(attemptsJson);
        var offset = call.StartUs;
        var n = 0;
        foreach (var attempt in doc.RootElement.EnumerateArray())
        {
            n++;
            var latencyUs = (long)(attempt.GetProperty("latency_ms").GetDouble() * 1000);

            // Records written before attempts kept their start run one after another from the call's start.
            var startUs = attempt.TryGetProperty("start_ms", out var start) ? call.StartUs + (long)(start.GetDouble() * 1000) : offset;
            var deployment = attempt.GetProperty("deployment").GetString();
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("span_id", $"{call.SpanId}.{n}");
                json.WriteString("parent_span_id", call.SpanId);
                json.WriteString("name", $"attempt {n}: {deployment}");
                json.WriteString("type", "attempt");
                json.WriteString("deployment", deployment);
                foreach (var name in (string[])["model_group", "reason", "error"])
                {
                    if (attempt.TryGetProperty(name, out var value))
                    {
                        json.WriteString(name, value.GetString());
                    }
                }

                json.WriteNumber("status", attempt.GetProperty("status").GetInt32());
                json.WriteNumber("start_offset_ms", Math.Round((startUs - call.StartUs) / 1000.0, 3));
                json.WriteNumber("duration_ms", Math.Round(latencyUs / 1000.0, 3));
                if (attempt.TryGetProperty("waited_ms", out var waited))
                {
                    json.WriteNumber("waited_ms", waited.GetDouble());
                }

                json.WriteEndObject();
            }

            call.Children.Add(new SpanNode($"{call.SpanId}.{n}", call.SpanId, startUs, startUs + latencyUs, "attempt", buffer.WrittenMemory.ToArray()));
            offset = startUs + latencyUs;
        }
    }

    /// <summary>Each guard's verdict as a child span of its call, at the time it ran.</summary>
    private static void AddGuardrails(SpanNode call, string? guardrailsJson)
    {
        if (guardrailsJson is null)
        {
            return;
        }

        using var doc = JsonDocument.Parse(guardrailsJson);
        var n = 0;
        foreach (var verdict in doc.RootElement.EnumerateArray())
        {
            n++;
            var startUs = call.StartUs + (long)(verdict.GetProperty("offset_ms").GetDouble() * 1000);
            var durationUs = (long)(verdict.GetProperty("latency_ms").GetDouble() * 1000);
            var guard = verdict.GetProperty("guard").GetString();
            var direction = verdict.GetProperty("direction").GetString();
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("span_id", $"{call.SpanId}.g{n}");
                json.WriteString("parent_span_id", call.SpanId);
                json.WriteString("name", $"guardrail {guard} ({direction}): {verdict.GetProperty("verdict").GetString()}");
                json.WriteString("type", Telemetry.Otlp.ObservationType.Guardrail);
                json.WriteNumber("start_offset_ms", Math.Round((startUs - call.StartUs) / 1000.0, 3));
                json.WriteNumber("duration_ms", Math.Round(durationUs / 1000.0, 3));
                foreach (var property in verdict.EnumerateObject())
                {
                    property.WriteTo(json);
                }

                json.WriteEndObject();
            }

            call.Children.Add(new SpanNode($"{call.SpanId}.g{n}", call.SpanId, startUs, startUs + durationUs, Telemetry.Otlp.ObservationType.Guardrail, buffer.WrittenMemory.ToArray()));
        }
    }

    public async Task<Dictionary<string, (int Count, int Positive)>> FeedbackOnAsync(IReadOnlyCollection<string> traceIds, Identity.Reach reach, CancellationToken cancellationToken)
    {
        var feedback = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        if (traceIds.Count == 0)
        {
            return feedback;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var names = new List<string>();
        foreach (var (id, i) in traceIds.Select((id, i) => (id, i)))
        {
            names.Add("$t" + i);
            command.Parameters.AddWithValue("$t" + i, id);
        }

        command.Parameters.AddWithValue("$team", (object?)reach.Team ?? DBNull.Value);
        command.CommandText = $"SELECT trace_id, COUNT(*), SUM(CASE WHEN value > 0 THEN 1 ELSE 0 END) FROM scores WHERE name = 'feedback' AND trace_id IN ({string.Join(",", names)}) AND ($team IS NULL OR team IS NULL OR team = $team) GROUP BY trace_id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            feedback[reader.GetString(0)] = (reader.GetInt32(1), reader.GetInt32(2));
        }

        return feedback;
    }

    private static async Task<List<string>> ReadScoresAsync(SqliteConnection connection, string traceId, object team, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, span_id, name, data_type, value, string_value, source, comment, user_id, created_us FROM scores WHERE trace_id = $t AND ($team IS NULL OR team IS NULL OR team = $team) ORDER BY created_us, id";
        command.Parameters.AddWithValue("$t", traceId);
        command.Parameters.AddWithValue("$team", team);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var scores = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                SqliteScoreJson.Write(json, reader, traceId);
            }

            scores.Add(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        return scores;
    }

    private static void WriteNode(Utf8JsonWriter json, SpanNode node, int depth)
    {
        json.WriteStartObject();
        using (var doc = JsonDocument.Parse(node.Json))
        {
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                property.WriteTo(json);
            }
        }

        json.WriteString("source", node.Source);
        json.WriteStartArray("children");
        if (depth < 64)
        {
            foreach (var child in node.Children.OrderBy(c => c.StartUs))
            {
                WriteNode(json, child, depth + 1);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private sealed class SpanNode(string spanId, string? parentSpanId, long startUs, long endUs, string source, byte[] json)
    {
        public string SpanId { get; } = spanId;

        public string? ParentSpanId { get; } = parentSpanId;

        public long StartUs { get; } = startUs;

        public long EndUs { get; } = endUs;

        public string Source { get; } = source;

        public byte[] Json { get; } = json;

        public List<SpanNode> Children { get; } = [];
    }

    private static void WriteCall(Utf8JsonWriter json, SqliteDataReader r)
    {
        json.WriteStartObject();
        json.WriteString("trace_id", r.GetString(1));
        json.WriteString("span_id", r.GetString(2));
        WriteNullable(json, "parent_span_id", r, 3);
        json.WriteString("start_time", FormatTime(r.GetInt64(4)));
        json.WriteString("api", r.GetString(5));
        WriteNullable(json, "model", r, 6);
        WriteNullable(json, "deployment", r, 7);
        WriteNullable(json, "provider", r, 8);
        WriteNullable(json, "upstream_model", r, 9);
        json.WriteNumber("status", r.GetInt32(10));
        WriteNullable(json, "error_type", r, 11);
        WriteNullable(json, "error_message", r, 12);
        json.WriteBoolean("stream", r.GetInt64(13) != 0);
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", r.GetInt64(14));
        json.WriteNumber("output_tokens", r.GetInt64(15));
        json.WriteNumber("cached_input_tokens", r.GetInt64(16));
        json.WriteNumber("cache_write_tokens", r.GetInt64(17));
        json.WriteNumber("reasoning_tokens", r.GetInt64(18));
        json.WriteBoolean("reported_by_provider", r.GetInt64(19) != 0);
        json.WriteEndObject();
        WriteNullable(json, "finish_reason", r, 20);
        var latencyUs = r.GetInt64(21);
        json.WriteNumber("latency_ms", Math.Round(latencyUs / 1000.0, 3));
        if (r.IsDBNull(22))
        {
            json.WriteNull("ttft_ms");
            json.WriteNull("output_tokens_per_second");
        }
        else
        {
            var ttftUs = r.GetInt64(22);
            json.WriteNumber("ttft_ms", Math.Round(ttftUs / 1000.0, 3));
            var generating = (latencyUs - ttftUs) / 1_000_000.0;
            var output = r.GetInt64(15);
            if (generating > 0 && output > 0)
            {
                json.WriteNumber("output_tokens_per_second", Math.Round(output / generating, 1));
            }
            else
            {
                json.WriteNull("output_tokens_per_second");
            }
        }

        WriteNullable(json, "key", r, 23);
        WriteNullable(json, "team", r, 24);
        WriteNullable(json, "user", r, 25);
        WriteNullable(json, "session", r, 26);
        WriteRaw(json, "tags", r, 27);
        WriteRaw(json, "metadata", r, 28);
        if (r.IsDBNull(29))
        {
            json.WriteNull("cost_usd"); // unknown price: never shown as 0
        }
        else
        {
            json.WriteString("cost_usd", (r.GetInt64(29) / 1_000_000_000m).ToString(CultureInfo.InvariantCulture));
        }

        WriteNullable(json, "cache", r, 30);
        if (r.IsDBNull(31))
        {
            json.WriteNull("cost_saved_usd");
        }
        else
        {
            json.WriteString("cost_saved_usd", (r.GetInt64(31) / 1_000_000_000m).ToString(CultureInfo.InvariantCulture));
        }

        if (r.IsDBNull(32))
        {
            json.WriteNull("cache_similarity");
        }
        else
        {
            json.WriteNumber("cache_similarity", Math.Round(r.GetDouble(32), 4));
        }

        WriteNullable(json, "cache_reason", r, 33);
        WriteRaw(json, "guardrails", r, 34);
        if (r.IsDBNull(35))
        {
            json.WriteNull("prompt");
        }
        else
        {
            json.WriteStartObject("prompt");
            json.WriteString("name", r.GetString(35));
            json.WriteNumber("version", r.GetInt64(36));
            WriteNullable(json, "label", r, 37);
            WriteNullable(json, "variant", r, 38);
            json.WriteEndObject();
        }

        WriteNullable(json, "model_change", r, 39);
        if (r.FieldCount > 40)
        {
            WriteNullable(json, "request", r, 40);
            WriteNullable(json, "response", r, 41);
        }

        json.WriteEndObject();
    }

    private static string FormatTime(long unixMicroseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMicroseconds / 1000).AddTicks(unixMicroseconds % 1000 * 10).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);

    private static void WriteNullable(Utf8JsonWriter json, string name, SqliteDataReader r, int i)
    {
        if (r.IsDBNull(i))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, r.GetString(i));
        }
    }

    private static void WriteRaw(Utf8JsonWriter json, string name, SqliteDataReader r, int i)
    {
        json.WritePropertyName(name);
        if (r.IsDBNull(i))
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(r.GetString(i), skipInputValidation: true);
        }
    }
}
