using System.Buffers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchyard.Recording;
using Switchyard.Tracing;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The call writer's connection: one transaction and one prepared insert per batch, bound through
/// <see cref="RawInsert"/> (the call writer's garbage, docs/benchmarks.md). Each call's id is the row
/// id SQLite assigns, so writers sharing the file never collide on ids.
/// </summary>
internal sealed class SqliteCallRecordSession : ICallRecordSession
{
    private static readonly string[] s_columns =
    [
        "span_id", "trace_id", "parent_span_id", "start_time_us", "api", "model_group", "deployment", "provider",
        "upstream_model", "system_fingerprint", "status", "error_type", "error_message", "stream", "input_tokens", "output_tokens",
        "cached_tokens", "cache_write_tokens", "reasoning_tokens", "usage_reported", "finish_reason", "latency_us", "ttft_us", "key_id", "user_id", "attempts",
        "team", "session_id", "tags", "metadata", "cost_nanousd", "request_content", "response_content", "cache", "cost_saved_nanousd",
        "cache_similarity", "cache_reason", "guardrails", "prompt_name", "prompt_version", "prompt_label", "prompt_variant", "model_change",
    ];

    private readonly SqliteConnection _connection;
    private readonly RawInsert _insert;
    private readonly RawInsert _insertTag;
    private readonly ArrayBufferWriter<byte> _json = new(512);
    private readonly Utf8JsonWriter _jsonWriter;

    public SqliteCallRecordSession(SqliteConnection connection)
    {
        _connection = connection;
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000;";
            pragma.ExecuteNonQuery();
        }

        _insert = new RawInsert(connection, $"INSERT INTO calls ({string.Join(", ", s_columns)}) VALUES ({string.Join(", ", s_columns.Select((_, i) => "?" + (i + 1)))})");
        _insertTag = new RawInsert(connection, "INSERT INTO call_tags (call_id, tag, start_time_us) VALUES (?1, ?2, ?3)");
        _jsonWriter = new Utf8JsonWriter(_json);
    }

    public ValueTask WriteAsync(IReadOnlyList<PreparedCall> batch, CancellationToken cancellationToken)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var call in batch)
        {
            var record = call.Record;
            Bind(call);
            _insert.Execute();
            var id = _insert.LastInsertRowId;
            foreach (var tag in record.Tags ?? [])
            {
                _insertTag.Integer(1, id);
                _insertTag.Text(2, tag);
                _insertTag.Integer(3, record.StartTime.ToUnixTimeMilliseconds() * 1000);
                _insertTag.Execute();
            }
        }

        SqliteRollupStore.Insert(_connection, transaction, RollupDeltas.Of(batch.Select(c => c.Record)));
        transaction.Commit();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _insert.Dispose();
        _insertTag.Dispose();
        _jsonWriter.Dispose();
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static string ApiName(Gateway.ClientApi api) => api switch
    {
        Gateway.ClientApi.ChatCompletions => "chat.completions",
        Gateway.ClientApi.Responses => "responses",
        Gateway.ClientApi.Embeddings => "embeddings",
        Gateway.ClientApi.Messages => "messages",
        _ => "messages.count_tokens",
    };

    /// <summary>Binds one call's row; positions follow <see cref="s_columns"/> (1-based).</summary>
    private void Bind(in PreparedCall call)
    {
        var (p, r) = (_insert, call.Record);
        p.Text(1, r.SpanId);
        p.Text(2, r.TraceId);
        p.Text(3, r.ParentSpanId);
        p.Integer(4, r.StartTime.ToUnixTimeMilliseconds() * 1000);
        p.Text(5, ApiName(r.Api));
        p.Text(6, r.ModelGroup);
        p.Text(7, r.Deployment);
        p.Text(8, r.Provider);
        p.Text(9, r.UpstreamModel);
        p.Text(10, r.SystemFingerprint);
        p.Integer(11, r.Status);
        p.Text(12, r.ErrorType);
        p.Text(13, r.ErrorMessage);
        p.Integer(14, r.Stream ? 1 : 0);
        p.Integer(15, r.Usage.InputTokens);
        p.Integer(16, r.Usage.OutputTokens);
        p.Integer(17, r.Usage.CachedInputTokens);
        p.Integer(18, r.Usage.CacheWriteTokens);
        p.Integer(19, r.Usage.ReasoningTokens);
        p.Integer(20, r.UsageReported ? 1 : 0);
        p.Text(21, r.FinishReason);
        p.Integer(22, r.Latency.Ticks / 10);
        p.Integer(23, r.TimeToFirstToken is { } ttft ? ttft.Ticks / 10 : null);
        p.Text(24, r.KeyId);
        p.Text(25, r.User);
        p.Utf8(26, AttemptsJson(r.Attempts));
        p.Text(27, r.Team);
        p.Text(28, r.Session);
        if (r.Tags is { Count: > 0 } tags)
        {
            p.Utf8(29, TagsJson(tags));
        }
        else
        {
            p.Null(29);
        }

        p.Text(30, r.MetadataJson);
        p.Integer(31, r.CostNanoUsd);
        BindContent(32, call.Request);
        BindContent(33, call.Response);
        p.Text(34, r.Cache);
        p.Integer(35, r.CostSavedNanoUsd);
        p.Real(36, r.CacheSimilarity);
        p.Text(37, r.CacheReason);
        p.Text(38, Guardrails.GuardrailJson.Of(r.Guardrails));
        p.Text(39, r.Prompt?.Name);
        p.Integer(40, r.Prompt?.Version);
        p.Text(41, r.Prompt?.Label);
        p.Text(42, r.Prompt?.Variant);
        p.Text(43, r.ModelChange);
    }

    private void BindContent(int index, StoredContent content)
    {
        if (content.Utf8 is { } bytes)
        {
            _insert.Utf8(index, bytes);
        }
        else
        {
            _insert.Text(index, content.Text);
        }
    }

    private ReadOnlySpan<byte> TagsJson(IReadOnlyList<string> tags)
    {
        var writer = Reset();
        writer.WriteStartArray();
        foreach (var tag in tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.Flush();
        return _json.WrittenSpan;
    }

    private ReadOnlySpan<byte> AttemptsJson(IReadOnlyList<Gateway.Attempt> attempts)
    {
        var writer = Reset();
        writer.WriteStartArray();
        foreach (var a in attempts)
        {
            writer.WriteStartObject();
            writer.WriteString("deployment", a.Deployment);
            if (a.Group is not null)
            {
                writer.WriteString("model_group", a.Group);
            }

            writer.WriteNumber("status", a.Status);
            writer.WriteNumber("start_ms", Math.Round(a.Start.TotalMilliseconds, 3));
            writer.WriteNumber("latency_ms", Math.Round(a.Latency.TotalMilliseconds, 3));
            if (a.Waited > TimeSpan.Zero)
            {
                writer.WriteNumber("waited_ms", Math.Round(a.Waited.TotalMilliseconds, 3));
            }

            if (a.Reason is not null)
            {
                writer.WriteString("reason", a.Reason);
            }

            if (a.Error is not null)
            {
                writer.WriteString("error", a.Error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Flush();
        return _json.WrittenSpan;
    }

    private Utf8JsonWriter Reset()
    {
        _json.ResetWrittenCount();
        _jsonWriter.Reset(_json);
        return _jsonWriter;
    }
}
