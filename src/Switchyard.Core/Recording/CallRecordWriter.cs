using System.Buffers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Storage;
using Switchyard.Tracing;

namespace Switchyard.Recording;

/// <summary>
/// Drains the recorder's queue into SQLite on a dedicated thread, in batches: one transaction and one
/// prepared insert per batch, at most one batch per <see cref="RecordingOptions.FlushInterval"/> unless
/// a full batch is waiting. On stop it writes everything still queued before returning. A failing
/// store is logged and retried; it never reaches the request path.
/// </summary>
/// <remarks>
/// Measured (docs/benchmarks.md): writing from thread-pool threads, one transaction per call at low
/// load, doubled the gateway's CPU per request and pushed its p99 latency from 2 ms to 40 ms. A
/// dedicated thread keeps SQLite's work off the pool that serves requests; pacing turns thousands of
/// tiny transactions a second into a few dozen larger ones.
/// </remarks>
internal sealed partial class CallRecordWriter(CallRecorder recorder, SqliteDatabase database, RecordingOptions options, TracingOptions tracing, Telemetry.Out.GatewayTelemetry telemetry, TimeProvider time, ILogger<CallRecordWriter> logger) : DedicatedWriter("switchyard-record-writer")
{
    private readonly ContentRedactor _redactor = new(tracing.Redact);
    private long _nextId;
    private long _written;
    private long _failed;
    private long _lastWriteLagMicroseconds;

    public long Written => Interlocked.Read(ref _written);

    public long Failed => Interlocked.Read(ref _failed);


    /// <summary>Time from the newest written call's end to its commit, in microseconds, for the last batch.</summary>
    public long LastWriteLagMicroseconds => Interlocked.Read(ref _lastWriteLagMicroseconds);

    protected override void CompleteQueue() => recorder.Complete();

    protected override void OnCrashed(Exception exception) => Log.WriterCrashed(logger, exception);

    protected override void Drain()
    {
        var reader = recorder.Reader;
        var batch = new List<CallRecord>(options.BatchSize);
        using var connection = database.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000;";
            pragma.ExecuteNonQuery();
        }

        using var insert = new RawInsert(connection, $"INSERT INTO calls ({string.Join(", ", s_columns)}) VALUES ({string.Join(", ", s_columns.Select((_, i) => "?" + (i + 1)))})");
        using var insertTag = new RawInsert(connection, "INSERT INTO call_tags (call_id, tag, start_time_us) VALUES (?1, ?2, ?3)");
        using (var max = connection.CreateCommand())
        {
            // One writer per store: ids are assigned here, so tags can point at their call
            // without a round trip per row.
            max.CommandText = "SELECT COALESCE(MAX(id), 0) FROM calls";
            _nextId = (long)max.ExecuteScalar()!;
        }

        var json = new ArrayBufferWriter<byte>(512);
        using var jsonWriter = new Utf8JsonWriter(json);
        while (true)
        {
            if (!reader.TryRead(out var first))
            {
                // Blocking here is fine: this thread does nothing else.
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    break;
                }

                continue;
            }

            var started = time.GetTimestamp();
            batch.Add(first);
            while (batch.Count < options.BatchSize && reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            WriteBatch(connection, insert, insertTag, batch, json, jsonWriter);
            batch.Clear();

            // Pace small batches so a busy gateway writes a few large transactions a second, not
            // one per call; a full queue or a stop skips the wait.
            var rest = options.FlushInterval - time.GetElapsedTime(started);
            if (rest > TimeSpan.Zero && !Stopping && reader.Count < options.BatchSize)
            {
                Thread.Sleep(rest);
            }
        }
    }

    private void WriteBatch(SqliteConnection connection, RawInsert insert, RawInsert insertTag, List<CallRecord> batch, ArrayBufferWriter<byte> json, Utf8JsonWriter jsonWriter)
    {
        var firstId = _nextId;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var transaction = connection.BeginTransaction();
                foreach (var record in batch)
                {
                    var id = ++_nextId;
                    Bind(insert, record, id, json, jsonWriter);
                    insert.Execute();
                    foreach (var tag in record.Tags ?? [])
                    {
                        insertTag.Integer(1, id);
                        insertTag.Text(2, tag);
                        insertTag.Integer(3, record.StartTime.ToUnixTimeMilliseconds() * 1000);
                        insertTag.Execute();
                    }
                }

                Storage.Sqlite.SqliteRollupStore.Insert(connection, transaction, Tracing.RollupDeltas.Of(batch));
                transaction.Commit();

                // After the commit, so a retried batch is not counted twice.
                foreach (var record in batch)
                {
                    telemetry.RecordCost(record.ModelGroup, record.CostNanoUsd ?? 0);
                }

                Interlocked.Add(ref _written, batch.Count);
                var newest = batch[^1];
                Interlocked.Exchange(ref _lastWriteLagMicroseconds, (long)(time.GetUtcNow() - newest.StartTime - newest.Latency).TotalMicroseconds);
                return;
            }
            catch (SqliteException ex) when (attempt < 3)
            {
                _nextId = firstId;
                Log.WriteRetry(logger, batch.Count, ex.Message);
                Thread.Sleep(50 * attempt);
            }
            catch (SqliteException ex)
            {
                _nextId = firstId;
                Interlocked.Add(ref _failed, batch.Count);
                Log.WriteFailed(logger, batch.Count, ex.Message);
                return;
            }
        }
    }

    private static readonly string[] s_columns =
    [
        "id", "span_id", "trace_id", "parent_span_id", "start_time_us", "api", "model_group", "deployment", "provider",
        "upstream_model", "system_fingerprint", "status", "error_type", "error_message", "stream", "input_tokens", "output_tokens",
        "cached_tokens", "cache_write_tokens", "reasoning_tokens", "usage_reported", "finish_reason", "latency_us", "ttft_us", "key_id", "user_id", "attempts",
        "team", "session_id", "tags", "metadata", "cost_nanousd", "request_content", "response_content", "cache", "cost_saved_nanousd",
        "cache_similarity",
    ];

    /// <summary>Binds one call's row; positions follow <see cref="s_columns"/> (1-based).</summary>
    private void Bind(RawInsert p, CallRecord r, long id, ArrayBufferWriter<byte> json, Utf8JsonWriter writer)
    {
        p.Integer(1, id);
        p.Text(2, r.SpanId);
        p.Text(3, r.TraceId);
        p.Text(4, r.ParentSpanId);
        p.Integer(5, r.StartTime.ToUnixTimeMilliseconds() * 1000);
        p.Text(6, ApiName(r.Api));
        p.Text(7, r.ModelGroup);
        p.Text(8, r.Deployment);
        p.Text(9, r.Provider);
        p.Text(10, r.UpstreamModel);
        p.Text(11, r.SystemFingerprint);
        p.Integer(12, r.Status);
        p.Text(13, r.ErrorType);
        p.Text(14, r.ErrorMessage);
        p.Integer(15, r.Stream ? 1 : 0);
        p.Integer(16, r.Usage.InputTokens);
        p.Integer(17, r.Usage.OutputTokens);
        p.Integer(18, r.Usage.CachedInputTokens);
        p.Integer(19, r.Usage.CacheWriteTokens);
        p.Integer(20, r.Usage.ReasoningTokens);
        p.Integer(21, r.UsageReported ? 1 : 0);
        p.Text(22, r.FinishReason);
        p.Integer(23, r.Latency.Ticks / 10);
        p.Integer(24, r.TimeToFirstToken is { } ttft ? ttft.Ticks / 10 : null);
        p.Text(25, r.KeyId);
        p.Text(26, r.User);
        p.Utf8(27, AttemptsJson(r.Attempts, json, writer));
        p.Text(28, r.Team);
        p.Text(29, r.Session);
        if (r.Tags is { Count: > 0 } tags)
        {
            p.Utf8(30, TagsJson(tags, json, writer));
        }
        else
        {
            p.Null(30);
        }

        p.Text(31, r.MetadataJson);
        p.Integer(32, r.CostNanoUsd);
        BindContent(p, 33, r.RequestContent);
        if (r.ResponseStream is { } stream)
        {
            p.Text(34, Redact(StreamAssembler.Assemble(r.ResponseStreamFormat, stream)));
        }
        else
        {
            BindContent(p, 34, r.ResponseContent);
        }

        p.Text(35, r.Cache);
        p.Integer(36, r.CostSavedNanoUsd);
        p.Real(37, r.CacheSimilarity);
    }

    /// <summary>Content as stored: the bytes themselves when nothing needs redacting or cutting, else the redacted, cut text.</summary>
    private void BindContent(RawInsert p, int index, byte[]? bytes)
    {
        if (bytes is not null && bytes.Length <= tracing.MaxContentBytes && _redactor.IsEmpty && System.Text.Unicode.Utf8.IsValid(bytes))
        {
            p.Utf8(index, bytes);
            return;
        }

        p.Text(index, Content(bytes));
    }

    /// <summary>UTF-8 content cut at the capture limit (on a character boundary), redacted.</summary>
    private string? Content(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        var limit = tracing.MaxContentBytes;
        if (bytes.Length <= limit)
        {
            return Redact(System.Text.Encoding.UTF8.GetString(bytes));
        }

        var cut = limit;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--; // do not split a multi-byte character
        }

        return Redact(System.Text.Encoding.UTF8.GetString(bytes, 0, cut)) + $"…[truncated at {limit} bytes]";
    }

    private string Redact(string content) => _redactor.IsEmpty ? content : _redactor.Redact(content);

    internal static string ApiName(Gateway.ClientApi api) => api switch
    {
        Gateway.ClientApi.ChatCompletions => "chat.completions",
        Gateway.ClientApi.Responses => "responses",
        Gateway.ClientApi.Embeddings => "embeddings",
        Gateway.ClientApi.Messages => "messages",
        _ => "messages.count_tokens",
    };

    private static ReadOnlySpan<byte> TagsJson(IReadOnlyList<string> tags, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        {
            writer.WriteStartArray();
            foreach (var tag in tags)
            {
                writer.WriteStringValue(tag);
            }

            writer.WriteEndArray();
            writer.Flush();
        }

        return buffer.WrittenSpan;
    }

    private static ReadOnlySpan<byte> AttemptsJson(IReadOnlyList<Gateway.Attempt> attempts, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        {
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
        }

        return buffer.WrittenSpan;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Writing {Count} call records failed, retrying: {Reason}")]
        public static partial void WriteRetry(ILogger logger, int count, string reason);

        [LoggerMessage(2, LogLevel.Error, "Writing {Count} call records failed; they are lost: {Reason}")]
        public static partial void WriteFailed(ILogger logger, int count, string reason);

        [LoggerMessage(3, LogLevel.Critical, "The call record writer stopped; calls are no longer recorded")]
        public static partial void WriterCrashed(ILogger logger, Exception exception);
    }
}
