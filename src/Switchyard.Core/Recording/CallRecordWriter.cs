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
        using var insert = PrepareInsert(connection);
        using var insertTag = PrepareTagInsert(connection);
        using (var max = connection.CreateCommand())
        {
            // One writer per store: ids are assigned here, so tags can point at their call
            // without a round trip per row.
            max.CommandText = "SELECT COALESCE(MAX(id), 0) FROM calls";
            _nextId = (long)max.ExecuteScalar()!;
        }

        var attempts = new ArrayBufferWriter<byte>(512);
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

            WriteBatch(connection, insert, insertTag, batch, attempts);
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

    private void WriteBatch(SqliteConnection connection, SqliteCommand insert, SqliteCommand insertTag, List<CallRecord> batch, ArrayBufferWriter<byte> attempts)
    {
        var firstId = _nextId;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                insertTag.Transaction = transaction;
                foreach (var record in batch)
                {
                    var id = ++_nextId;
                    Bind(insert, record, id, attempts);
                    insert.ExecuteNonQuery();
                    foreach (var tag in record.Tags ?? [])
                    {
                        insertTag.Parameters[0].Value = id;
                        insertTag.Parameters[1].Value = tag;
                        insertTag.Parameters[2].Value = record.StartTime.ToUnixTimeMilliseconds() * 1000;
                        insertTag.ExecuteNonQuery();
                    }
                }

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
        "team", "session_id", "tags", "metadata", "cost_nanousd", "request_content", "response_content",
    ];

    private static SqliteCommand PrepareInsert(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO calls ({string.Join(", ", s_columns)}) VALUES ({string.Join(", ", s_columns.Select(c => "$" + c))})";
        foreach (var name in s_columns)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = "$" + name });
        }

        command.Prepare();
        return command;
    }

    private static SqliteCommand PrepareTagInsert(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO call_tags (call_id, tag, start_time_us) VALUES ($call, $tag, $start)";
        command.Parameters.Add(new SqliteParameter { ParameterName = "$call" });
        command.Parameters.Add(new SqliteParameter { ParameterName = "$tag" });
        command.Parameters.Add(new SqliteParameter { ParameterName = "$start" });
        command.Prepare();
        return command;
    }

    private void Bind(SqliteCommand command, CallRecord r, long id, ArrayBufferWriter<byte> attempts)
    {
        var p = command.Parameters;
        p[0].Value = id;
        p[1].Value = r.SpanId;
        p[2].Value = r.TraceId;
        p[3].Value = (object?)r.ParentSpanId ?? DBNull.Value;
        p[4].Value = r.StartTime.ToUnixTimeMilliseconds() * 1000;
        p[5].Value = ApiName(r.Api);
        p[6].Value = (object?)r.ModelGroup ?? DBNull.Value;
        p[7].Value = (object?)r.Deployment ?? DBNull.Value;
        p[8].Value = (object?)r.Provider ?? DBNull.Value;
        p[9].Value = (object?)r.UpstreamModel ?? DBNull.Value;
        p[10].Value = (object?)r.SystemFingerprint ?? DBNull.Value;
        p[11].Value = r.Status;
        p[12].Value = (object?)r.ErrorType ?? DBNull.Value;
        p[13].Value = (object?)r.ErrorMessage ?? DBNull.Value;
        p[14].Value = r.Stream ? 1 : 0;
        p[15].Value = r.Usage.InputTokens;
        p[16].Value = r.Usage.OutputTokens;
        p[17].Value = r.Usage.CachedInputTokens;
        p[18].Value = r.Usage.CacheWriteTokens;
        p[19].Value = r.Usage.ReasoningTokens;
        p[20].Value = r.UsageReported ? 1 : 0;
        p[21].Value = (object?)r.FinishReason ?? DBNull.Value;
        p[22].Value = (long)(r.Latency.Ticks / 10);
        p[23].Value = r.TimeToFirstToken is { } ttft ? ttft.Ticks / 10 : DBNull.Value;
        p[24].Value = (object?)r.KeyId ?? DBNull.Value;
        p[25].Value = (object?)r.User ?? DBNull.Value;
        p[26].Value = AttemptsJson(r.Attempts, attempts);
        p[27].Value = (object?)r.Team ?? DBNull.Value;
        p[28].Value = (object?)r.Session ?? DBNull.Value;
        p[29].Value = r.Tags is { Count: > 0 } tags ? JsonSerializer.Serialize(tags, RecordJson.Default.IReadOnlyListString) : DBNull.Value;
        p[30].Value = (object?)r.MetadataJson ?? DBNull.Value;
        p[31].Value = (object?)r.CostNanoUsd ?? DBNull.Value;
        p[32].Value = (object?)Content(r.RequestContent) ?? DBNull.Value;
        p[33].Value = (object?)(r.ResponseStream is { } stream ? Redact(StreamAssembler.Assemble(r.ResponseStreamFormat, stream)) : Content(r.ResponseContent)) ?? DBNull.Value;
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

    private static string AttemptsJson(IReadOnlyList<Gateway.Attempt> attempts, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var a in attempts)
            {
                writer.WriteStartObject();
                writer.WriteString("deployment", a.Deployment);
                writer.WriteNumber("status", a.Status);
                writer.WriteNumber("latency_ms", Math.Round(a.Latency.TotalMilliseconds, 3));
                if (a.Error is not null)
                {
                    writer.WriteString("error", a.Error);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
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
