using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchyard.Accounting;
using Switchyard.Accounting.Pricing;
using Switchyard.Storage;
using Switchyard.Telemetry.Otlp;

namespace Switchyard.Telemetry;

/// <summary>
/// Writes ingested spans into the <c>spans</c> table on a dedicated thread, many exports per
/// transaction. Drains on stop, after the web server has stopped accepting exports.
/// </summary>
internal sealed partial class SpanWriter(SpanIngestQueue queue, SqliteDatabase database, PriceCatalog prices, ILogger<SpanWriter> logger) : DedicatedWriter("switchyard-span-writer")
{
    private const int BatchSpans = 5_000;

    private static readonly string[] s_columns =
    [
        "trace_id", "span_id", "parent_span_id", "name", "kind", "type", "service", "start_time_us", "end_time_us", "status_code", "status_message",
        "model", "provider", "input_tokens", "output_tokens", "cost_nanousd", "user_id", "session_id", "input", "output", "attributes", "events", "key_id", "team",
    ];

    private long _written;
    private long _failed;

    public long Written => Interlocked.Read(ref _written);

    public long Failed => Interlocked.Read(ref _failed);

    protected override void CompleteQueue() => queue.Complete();

    protected override void OnCrashed(Exception exception) => Log.WriterCrashed(logger, exception);

    protected override void Drain()
    {
        using var connection = database.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO spans ({string.Join(", ", s_columns)}) VALUES ({string.Join(", ", s_columns.Select(c => "$" + c))})";
        foreach (var column in s_columns)
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = "$" + column });
        }

        insert.Prepare();
        var buffer = new ArrayBufferWriter<byte>(4096);
        var batch = new List<IReadOnlyList<IngestedSpan>>();
        var reader = queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            var count = 0;
            while (count < BatchSpans && reader.TryRead(out var export))
            {
                batch.Add(export);
                count += export.Count;
            }

            Write(connection, insert, batch, count, buffer);
            batch.Clear();
        }
    }

    private void Write(SqliteConnection connection, SqliteCommand insert, List<IReadOnlyList<IngestedSpan>> batch, int count, ArrayBufferWriter<byte> buffer)
    {
        try
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            foreach (var export in batch)
            {
                foreach (var span in export)
                {
                    Bind(insert.Parameters, span, buffer);
                    insert.ExecuteNonQuery();
                }
            }

            transaction.Commit();
            Interlocked.Add(ref _written, count);
        }
        catch (SqliteException ex)
        {
            Interlocked.Add(ref _failed, count);
            Log.WriteFailed(logger, count, ex.Message);
        }
        finally
        {
            queue.Written(count);
        }
    }

    private void Bind(SqliteParameterCollection p, IngestedSpan s, ArrayBufferWriter<byte> buffer)
    {
        p[0].Value = s.TraceId;
        p[1].Value = s.SpanId;
        p[2].Value = (object?)s.ParentSpanId ?? DBNull.Value;
        p[3].Value = s.Name;
        p[4].Value = s.Kind;
        p[5].Value = s.Type;
        p[6].Value = (object?)s.ServiceName ?? DBNull.Value;
        p[7].Value = s.StartUnixNano / 1000;
        p[8].Value = Math.Max(s.EndUnixNano, s.StartUnixNano) / 1000;
        p[9].Value = s.StatusCode;
        p[10].Value = (object?)s.StatusMessage ?? DBNull.Value;
        p[11].Value = (object?)s.Model ?? DBNull.Value;
        p[12].Value = (object?)s.Provider ?? DBNull.Value;
        p[13].Value = (object?)s.InputTokens ?? DBNull.Value;
        p[14].Value = (object?)s.OutputTokens ?? DBNull.Value;
        p[15].Value = (object?)Cost(s) ?? DBNull.Value;
        p[16].Value = (object?)s.UserId ?? DBNull.Value;
        p[17].Value = (object?)s.SessionId ?? DBNull.Value;
        p[18].Value = (object?)s.Input ?? DBNull.Value;
        p[19].Value = (object?)s.Output ?? DBNull.Value;
        p[20].Value = AttributesJson(s.Attributes, buffer);
        p[21].Value = s.Events.Count == 0 ? DBNull.Value : EventsJson(s.Events, buffer);
        p[22].Value = (object?)s.WriterKey ?? DBNull.Value;
        p[23].Value = (object?)s.WriterTeam ?? DBNull.Value;
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
