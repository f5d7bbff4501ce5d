using System.Data.Common;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Storage;
using Switchyard.Tracing;

namespace Switchyard.Recording;

/// <summary>
/// Drains the recorder's queue into the <see cref="ICallRecordStore"/> on a dedicated thread, in batches
/// written all or nothing, at most one batch per <see cref="RecordingOptions.FlushInterval"/> unless
/// a full batch is waiting. On stop it writes everything still queued before returning. A failing
/// store is logged and retried; it never reaches the request path.
/// </summary>
/// <remarks>
/// Measured (docs/benchmarks.md): writing from thread-pool threads, one transaction per call at low
/// load, doubled the gateway's CPU per request and pushed its p99 latency from 2 ms to 40 ms. A
/// dedicated thread keeps the store's work off the pool that serves requests; pacing turns thousands of
/// tiny transactions a second into a few dozen larger ones.
/// </remarks>
internal sealed partial class CallRecordWriter(CallRecorder recorder, ICallRecordStore store, RecordingOptions options, TracingOptions tracing, Telemetry.Out.GatewayTelemetry telemetry, TimeProvider time, ILogger<CallRecordWriter> logger) : DedicatedWriter("switchyard-record-writer")
{
    private readonly ContentRedactor _redactor = new(tracing.Redact);
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
        var batch = new List<PreparedCall>(options.BatchSize);
        // This thread does nothing else: waiting on the store here blocks no request.
        var session = Wait(store.OpenSessionAsync(CancellationToken.None));
        try
        {
            while (true)
            {
                if (!reader.TryRead(out var first))
                {
                    if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                    {
                        break;
                    }

                    continue;
                }

                var started = time.GetTimestamp();
                batch.Add(Prepare(first));
                while (batch.Count < options.BatchSize && reader.TryRead(out var record))
                {
                    batch.Add(Prepare(record));
                }

                WriteBatch(session, batch);
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
        finally
        {
            session.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private void WriteBatch(ICallRecordSession session, List<PreparedCall> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var write = session.WriteAsync(batch, CancellationToken.None);
                if (!write.IsCompletedSuccessfully)
                {
                    write.AsTask().GetAwaiter().GetResult();
                }

                // After the commit, so a retried batch is not counted twice.
                foreach (var call in batch)
                {
                    telemetry.RecordCost(call.Record.ModelGroup, call.Record.CostNanoUsd ?? 0);
                }

                Interlocked.Add(ref _written, batch.Count);
                var newest = batch[^1].Record;
                Interlocked.Exchange(ref _lastWriteLagMicroseconds, (long)(time.GetUtcNow() - newest.StartTime - newest.Latency).TotalMicroseconds);
                return;
            }
            catch (DbException ex) when (attempt < 3)
            {
                Log.WriteRetry(logger, batch.Count, ex.Message);
                Thread.Sleep(50 * attempt);
            }
            catch (DbException ex)
            {
                Interlocked.Add(ref _failed, batch.Count);
                Log.WriteFailed(logger, batch.Count, ex.Message);
                return;
            }
        }
    }

    /// <summary>The call with its content as stored: cut to the capture limit and redacted, or the bytes themselves when nothing needs doing.</summary>
    private PreparedCall Prepare(CallRecord r)
    {
        var response = r.ResponseStream is { } stream
            ? StoredContent.Of(Redact(StreamAssembler.Assemble(r.ResponseStreamFormat, stream, r.ResponseStreamText)))
            : Content(r.ResponseContent);
        return new PreparedCall(r, Content(r.RequestContent), response);
    }

    private StoredContent Content(byte[]? bytes)
    {
        if (bytes is not null && bytes.Length <= tracing.MaxContentBytes && _redactor.IsEmpty && System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return new StoredContent(bytes, null);
        }

        return StoredContent.Of(CutAndRedact(bytes));
    }

    /// <summary>UTF-8 content cut at the capture limit (on a character boundary), redacted.</summary>
    private string? CutAndRedact(byte[]? bytes)
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
