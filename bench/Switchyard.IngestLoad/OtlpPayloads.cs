using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Switchyard.IngestLoad;

/// <summary>One span of a synthetic GenAI trace.</summary>
internal sealed record SpanSpec(byte[] TraceId, byte[] SpanId, byte[]? ParentSpanId, string Name, int Kind, ulong StartNano, ulong EndNano, IReadOnlyList<KeyValuePair<string, object>> Attributes, int StatusCode);

/// <summary>
/// OTLP/HTTP trace exports, hand-encoded (protobuf: opentelemetry/proto/trace/v1/trace.proto and
/// collector/trace/v1/trace_service.proto; JSON: the OTLP JSON mapping, hex ids, string nanos).
/// A template batch is built once; each send rewrites the first 8 bytes of every trace id in place, so
/// every export carries new trace ids without re-encoding (the client stays cheap on a 2-core box).
/// </summary>
internal sealed class OtlpTemplate
{
    private readonly byte[] _template;
    private readonly int[][] _offsets; // per trace: offsets of its id (raw bytes or hex text)

    private OtlpTemplate(byte[] template, int[][] offsets, bool json, int spans)
    {
        _template = template;
        _offsets = offsets;
        Json = json;
        SpanCount = spans;
    }

    public bool Json { get; }

    public int SpanCount { get; }

    public int Length => _template.Length;

    public string ContentType => Json ? "application/json" : "application/x-protobuf";

    /// <summary>The first trace id in a stamped buffer, as lowercase hex.</summary>
    public string FirstTraceId(byte[] buffer) =>
        Json ? Encoding.ASCII.GetString(buffer, _offsets[0][0], 32) : Convert.ToHexStringLower(buffer, _offsets[0][0], 16);

    public byte[] NewBuffer() => (byte[])_template.Clone();

    /// <summary>Writes unique trace ids into <paramref name="buffer"/> (a copy of the template): prefix, then a sequence number.</summary>
    public void Stamp(byte[] buffer, ushort prefix, ref ulong sequence)
    {
        Span<byte> id = stackalloc byte[8];
        Span<byte> hex = stackalloc byte[16];
        foreach (var offsets in _offsets)
        {
            BinaryPrimitives.WriteUInt64BigEndian(id, ((ulong)prefix << 48) | (++sequence & 0xFFFF_FFFF_FFFF));
            foreach (var offset in offsets)
            {
                if (Json)
                {
                    Convert.TryToHexStringLower(id, hex, out _);
                    hex.CopyTo(buffer.AsSpan(offset));
                }
                else
                {
                    id.CopyTo(buffer.AsSpan(offset));
                }
            }
        }
    }

    public static OtlpTemplate Create(bool json, int spanCount, int seed)
    {
        var spans = Traces.Build(spanCount, seed, DateTimeOffset.UtcNow);
        var bytes = json ? Encode.Json(spans) : Encode.Protobuf(spans);
        var traceIds = spans.Select(s => s.TraceId).DistinctBy(Convert.ToHexStringLower).ToArray();
        var offsets = traceIds.Select(t => FindAll(bytes, json ? Encoding.ASCII.GetBytes(Convert.ToHexStringLower(t)) : t)).ToArray();
        return new OtlpTemplate(bytes, offsets, json, spans.Count);
    }

    private static int[] FindAll(byte[] haystack, byte[] needle)
    {
        var found = new List<int>();
        var start = 0;
        while (start < haystack.Length)
        {
            var i = haystack.AsSpan(start).IndexOf(needle);
            if (i < 0)
            {
                break;
            }

            found.Add(start + i);
            start += i + needle.Length;
        }

        return [.. found];
    }
}

/// <summary>Synthetic agent traces: a root span, two LLM calls, a tool call and a retrieval, with GenAI attributes.</summary>
internal static class Traces
{
    public static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "claude-haiku-4", "gpt-4.1", "gpt-4.1-mini", "o3-mini", "gemini-2.0-flash", "llama-3.3-70b", "mistral-large"];

    public static List<SpanSpec> Build(int spanCount, int seed, DateTimeOffset now)
    {
        var random = new Random(seed);
        var spans = new List<SpanSpec>(spanCount);
        var baseNano = (ulong)now.ToUnixTimeMilliseconds() * 1_000_000;
        while (spans.Count < spanCount)
        {
            var traceId = RandomBytes(random, 16);
            var root = RandomBytes(random, 8);
            var user = $"user-{random.Next(1000):D4}";
            var session = $"session-{random.Next(100_000):D6}";
            var start = baseNano - (ulong)random.Next(1, 60_000) * 1_000_000;
            var model = Models[random.Next(Models.Length)];
            var t = start;
            spans.Add(new SpanSpec(traceId, root, null, "support-agent run", 1, start, start + 2_400_000_000, [
                new("langfuse.user.id", user), new("langfuse.session.id", session), new("langfuse.trace.name", "support-agent"),
                new("gen_ai.operation.name", "invoke_agent"), new("gen_ai.agent.name", "support-agent"), new("deployment.environment", "prod")], 1));
            for (var i = 0; i < 4 && spans.Count < spanCount; i++)
            {
                var id = RandomBytes(random, 8);
                var duration = (ulong)random.Next(50, 900) * 1_000_000;
                switch (i)
                {
                    case 0 or 2:
                        var input = random.Next(200, 4000);
                        var output = random.Next(20, 800);
                        spans.Add(new SpanSpec(traceId, id, root, $"chat {model}", 3, t, t + duration, [
                            new("gen_ai.operation.name", "chat"), new("gen_ai.provider.name", model.StartsWith("claude", StringComparison.Ordinal) ? "anthropic" : "openai"),
                            new("gen_ai.request.model", model), new("gen_ai.response.model", model + "-2025-01-01"),
                            new("gen_ai.request.temperature", 0.2), new("gen_ai.request.max_tokens", 1024L),
                            new("gen_ai.usage.input_tokens", (long)input), new("gen_ai.usage.output_tokens", (long)output),
                            new("gen_ai.response.finish_reasons", "stop"), new("user.id", user), new("session.id", session),
                            new("gen_ai.input.messages", "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are a helpful support agent for Acme. Answer briefly.\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"My order #" + random.Next(1_000_000) + " has not arrived. Can you check the status and tell me when it will be delivered?\"}]}]"),
                            new("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"I checked order #" + random.Next(1_000_000) + ": it left the warehouse yesterday and should arrive within two business days.\"}],\"finish_reason\":\"stop\"}]")],
                            random.Next(100) < 3 ? 2 : 1));
                        break;
                    case 1:
                        spans.Add(new SpanSpec(traceId, id, root, "execute_tool lookup_order", 1, t, t + duration, [
                            new("gen_ai.operation.name", "execute_tool"), new("gen_ai.tool.name", "lookup_order"),
                            new("gen_ai.tool.call.id", "call_" + random.Next()), new("gen_ai.tool.call.arguments", "{\"order_id\":\"" + random.Next(1_000_000) + "\"}"),
                            new("gen_ai.tool.call.result", "{\"status\":\"shipped\",\"eta_days\":2}")], 1));
                        break;
                    default:
                        spans.Add(new SpanSpec(traceId, id, root, "retrieve kb", 1, t, t + duration, [
                            new("langfuse.observation.type", "retriever"), new("db.system", "qdrant"), new("retrieval.top_k", 5L),
                            new("input.value", "order delivery times"), new("output.value", "[\"kb-112\",\"kb-87\",\"kb-3\"]")], 1));
                        break;
                }

                t += duration;
            }
        }

        return spans;
    }

    public static byte[] RandomBytes(Random random, int n)
    {
        var b = new byte[n];
        random.NextBytes(b);
        return b;
    }
}

internal static class Encode
{
    public static byte[] Json(IReadOnlyList<SpanSpec> spans)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("resourceSpans");
            w.WriteStartObject();
            w.WriteStartObject("resource");
            w.WriteStartArray("attributes");
            foreach (var (k, v) in s_resource)
            {
                WriteKeyValue(w, k, v);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("scopeSpans");
            w.WriteStartObject();
            w.WriteStartObject("scope");
            w.WriteString("name", "switchyard.bench");
            w.WriteString("version", "1.0.0");
            w.WriteEndObject();
            w.WriteStartArray("spans");
            foreach (var s in spans)
            {
                w.WriteStartObject();
                w.WriteString("traceId", Convert.ToHexStringLower(s.TraceId));
                w.WriteString("spanId", Convert.ToHexStringLower(s.SpanId));
                if (s.ParentSpanId is { } parent)
                {
                    w.WriteString("parentSpanId", Convert.ToHexStringLower(parent));
                }

                w.WriteString("name", s.Name);
                w.WriteNumber("kind", s.Kind);
                w.WriteString("startTimeUnixNano", s.StartNano.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("endTimeUnixNano", s.EndNano.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteStartArray("attributes");
                foreach (var (k, v) in s.Attributes)
                {
                    WriteKeyValue(w, k, v);
                }

                w.WriteEndArray();
                w.WriteStartObject("status");
                w.WriteNumber("code", s.StatusCode);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static readonly KeyValuePair<string, object>[] s_resource =
    [
        new("service.name", "support-agent"), new("service.version", "2.3.1"), new("telemetry.sdk.language", "python"),
        new("telemetry.sdk.name", "opentelemetry"), new("telemetry.sdk.version", "1.29.0"),
    ];

    private static void WriteKeyValue(Utf8JsonWriter w, string key, object value)
    {
        w.WriteStartObject();
        w.WriteString("key", key);
        w.WriteStartObject("value");
        switch (value)
        {
            case string s:
                w.WriteString("stringValue", s);
                break;
            case long l:
                w.WriteString("intValue", l.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double d:
                w.WriteNumber("doubleValue", d);
                break;
            case bool b:
                w.WriteBoolean("boolValue", b);
                break;
            default:
                throw new ArgumentException($"unsupported attribute type {value.GetType()}");
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static byte[] Protobuf(IReadOnlyList<SpanSpec> spans)
    {
        var scope = new Pb();
        scope.Message(1, m => m.String(1, "switchyard.bench").String(2, "1.0.0"));
        foreach (var s in spans)
        {
            scope.Message(2, m =>
            {
                m.Bytes(1, s.TraceId).Bytes(2, s.SpanId);
                if (s.ParentSpanId is { } parent)
                {
                    m.Bytes(4, parent);
                }

                m.String(5, s.Name).Varint(6, (ulong)s.Kind).Fixed64(7, s.StartNano).Fixed64(8, s.EndNano);
                foreach (var (k, v) in s.Attributes)
                {
                    m.Message(9, kv => KeyValue(kv, k, v));
                }

                m.Message(15, status => status.Varint(3, (ulong)s.StatusCode));
            });
        }

        var resourceSpans = new Pb();
        resourceSpans.Message(1, r =>
        {
            foreach (var (k, v) in s_resource)
            {
                r.Message(1, kv => KeyValue(kv, k, v));
            }
        });
        resourceSpans.Bytes(2, scope.ToArray());
        var request = new Pb();
        request.Bytes(1, resourceSpans.ToArray());
        return request.ToArray();
    }

    private static void KeyValue(Pb kv, string key, object value)
    {
        kv.String(1, key).Message(2, any =>
        {
            switch (value)
            {
                case string s:
                    any.String(1, s);
                    break;
                case bool b:
                    any.Varint(2, b ? 1UL : 0UL);
                    break;
                case long l:
                    any.Varint(3, unchecked((ulong)l));
                    break;
                case double d:
                    any.Fixed64(4, BitConverter.DoubleToUInt64Bits(d));
                    break;
                default:
                    throw new ArgumentException($"unsupported attribute type {value.GetType()}");
            }
        });
    }
}

/// <summary>A minimal protobuf writer: varint, fixed64, length-delimited.</summary>
internal sealed class Pb
{
    private readonly MemoryStream _stream = new();

    public byte[] ToArray() => _stream.ToArray();

    public Pb Varint(int field, ulong value)
    {
        Raw(((ulong)field << 3) | 0);
        Raw(value);
        return this;
    }

    public Pb Fixed64(int field, ulong value)
    {
        Raw(((ulong)field << 3) | 1);
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        _stream.Write(b);
        return this;
    }

    public Pb Bytes(int field, ReadOnlySpan<byte> value)
    {
        Raw(((ulong)field << 3) | 2);
        Raw((ulong)value.Length);
        _stream.Write(value);
        return this;
    }

    public Pb String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public Pb Message(int field, Action<Pb> write)
    {
        var inner = new Pb();
        write(inner);
        return Bytes(field, inner.ToArray());
    }

    private void Raw(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _stream.WriteByte((byte)value);
    }
}
