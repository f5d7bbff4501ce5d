using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchyard.Accounting;
using Switchyard.Accounting.Pricing;
using Switchyard.Storage;
using Switchyard.Telemetry.Otlp;

namespace Switchyard.Telemetry;

/// <summary>
/// Writes ingested spans to the <see cref="ISpanStore"/> on a dedicated thread, many exports per
/// batch. Drains on stop, after the web server has stopped accepting exports.
/// </summary>
internal sealed partial class SpanWriter(SpanIngestQueue queue, ISpanStore store, PriceCatalog prices, ILogger<SpanWriter> logger) : DedicatedWriter("switchyard-span-writer")
{
    private const int BatchSpans = 5_000;

    private long _written;
    private long _failed;

    public long Written => Interlocked.Read(ref _written);

    public long Failed => Interlocked.Read(ref _failed);

    protected override void CompleteQueue() => queue.Complete();

    protected override void OnCrashed(Exception exception) => Log.WriterCrashed(logger, exception);

    protected override void Drain()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var batch = new List<PreparedSpan>();
        var reader = queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < BatchSpans && reader.TryRead(out var export))
            {
                foreach (var span in export)
                {
                    batch.Add(new PreparedSpan(span, Cost(span), AttributesJson(span.Attributes, buffer), span.Events.Count == 0 ? null : EventsJson(span.Events, buffer)));
                }
            }

            Write(batch);
            batch.Clear();
        }
    }

    private void Write(List<PreparedSpan> batch)
    {
        try
        {
            // This is the writer's own thread: waiting here blocks no request.
            store.WriteAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
            Interlocked.Add(ref _written, batch.Count);
        }
        catch (DbException ex)
        {
            Interlocked.Add(ref _failed, batch.Count);
            Log.WriteFailed(logger, batch.Count, ex.Message);
        }
        finally
        {
            queue.Written(batch.Count);
        }
    }

    /// <summary>Application generations are priced like gateway calls; other spans carry no cost.</summary>
    private long? Cost(IngestedSpan s)
    {
        if (s.InputTokens is null && s.OutputTokens is null)
        {
            return null;
        }

        var usage = new TokenUsage(s.InputTokens ?? 0, s.OutputTokens ?? 0, s.CachedInputTokens ?? 0, 0, s.ReasoningTokens ?? 0);
        return prices.TryFind(s.Provider, s.Model, out var price) ? CostCalculator.ToNanoUsd(CostCalculator.Compute(usage, price)) : null;
    }

    private static string AttributesJson(IReadOnlyDictionary<string, object?> attributes, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteMap(json, attributes);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string EventsJson(IReadOnlyList<IngestedSpanEvent> events, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var e in events)
            {
                json.WriteStartObject();
                json.WriteString("name", e.Name);
                json.WriteNumber("time_unix_nano", e.TimeUnixNano);
                json.WritePropertyName("attributes");
                WriteMap(json, e.Attributes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteMap(Utf8JsonWriter json, IReadOnlyDictionary<string, object?> map)
    {
        json.WriteStartObject();
        foreach (var (key, value) in map)
        {
            json.WritePropertyName(key);
            WriteValue(json, value, 0);
        }

        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value, int depth)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case double d:
                json.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                json.WriteBase64StringValue(bytes);
                break;
            case object?[] array when depth < 32:
                json.WriteStartArray();
                foreach (var item in array)
                {
                    WriteValue(json, item, depth + 1);
                }

                json.WriteEndArray();
                break;
            case IReadOnlyDictionary<string, object?> map when depth < 32:
                WriteMap(json, map);
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Writing {Count} ingested spans failed; they are lost: {Reason}")]
        public static partial void WriteFailed(ILogger logger, int count, string reason);

        [LoggerMessage(2, LogLevel.Critical, "The span writer stopped; ingested spans are no longer stored")]
        public static partial void WriterCrashed(ILogger logger, Exception exception);
    }
}
