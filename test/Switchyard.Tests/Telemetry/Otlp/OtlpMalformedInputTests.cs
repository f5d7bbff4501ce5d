using System.IO;
using System.Text;
using Switchyard.Telemetry.Otlp;
using Xunit;

namespace Switchyard.Tests.Telemetry.Otlp;

/// <summary>Hostile and broken bodies: the decoder answers false with an error, never throws, never hangs.</summary>
public sealed class OtlpMalformedInputTests
{
    private static readonly byte[] s_traceId = Convert.FromHexString(OtlpTestPayloads.TraceId);
    private static readonly byte[] s_spanId = Convert.FromHexString(OtlpTestPayloads.SpanId);

    [Fact]
    public void TryDecode_HandBuiltProtobuf_ReadsSpanAndSkipsUnknownFields()
    {
        var span = ValidSpan()
            .Varint(99, 12345)                       // unknown varint field
            .Fixed64(98, 1)                          // unknown fixed64 field
            .Raw(0xA5, 0x06, 1, 2, 3, 4)             // unknown fixed32 field 100
            .String(97, "future")                    // unknown length-delimited field
            .Message(9, ProtoBuilder.StringAttribute("gen_ai.request.model", "m"));

        Assert.True(OtlpTraceDecoder.TryDecode(ProtoBuilder.Request(span), OtlpEncoding.Protobuf, out var spans, out var error), error);
        var decoded = Assert.Single(spans);
        Assert.Equal(OtlpTestPayloads.TraceId, decoded.TraceId);
        Assert.Equal("m", decoded.Model);
        Assert.Null(decoded.ServiceName);
    }

    [Fact]
    public void TryDecode_EmptyBodies_AreEmptyExports()
    {
        Assert.True(OtlpTraceDecoder.TryDecode([], OtlpEncoding.Protobuf, out var spans, out _));
        Assert.Empty(spans);
        Assert.True(OtlpTraceDecoder.TryDecode("{}"u8, OtlpEncoding.Json, out spans, out _));
        Assert.Empty(spans);
    }

    [Theory]
    [InlineData(3, "trace id")]
    [InlineData(16, "trace id")]
    public void TryDecode_InvalidTraceId_RejectedNamingTheSpan(int length, string expected)
    {
        var span = new ProtoBuilder().Bytes(1, new byte[length]).Bytes(2, s_spanId).String(5, "bad-trace");

        Assert.False(OtlpTraceDecoder.TryDecode(ProtoBuilder.Request(span), OtlpEncoding.Protobuf, out var spans, out var error));
        Assert.Empty(spans);
        Assert.Contains("bad-trace", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\"", "span id")]
    [InlineData("\"0000000000000000\"", "span id")]
    [InlineData("\"abcd\"", "span id")]
    [InlineData("\"zz19b7ec3c1b1740\"", "not hex")]
    public void TryDecode_InvalidJsonSpanId_RejectedNamingTheSpan(string spanId, string expected)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"{{{OtlpTestPayloads.TraceId}}}","spanId":{{{spanId}}},"name":"bad-span"}]}]}]}""");

        Assert.False(OtlpTraceDecoder.TryDecode(body, OtlpEncoding.Json, out _, out var error));
        Assert.Contains("bad-span", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_AllZeroParent_IsRoot_WrongLengthParent_IsRejected()
    {
        var zeroParent = ValidSpan().Bytes(4, new byte[8]);
        Assert.True(OtlpTraceDecoder.TryDecode(ProtoBuilder.Request(zeroParent), OtlpEncoding.Protobuf, out var spans, out _));
        Assert.Null(Assert.Single(spans).ParentSpanId);

        var shortParent = ValidSpan().Bytes(4, new byte[] { 1, 2, 3 });
        Assert.False(OtlpTraceDecoder.TryDecode(ProtoBuilder.Request(shortParent), OtlpEncoding.Protobuf, out _, out var error));
        Assert.Contains("parent span id", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_TruncatedProtobuf_FailsAtEveryCut()
    {
        var body = ProtoBuilder.Request(ValidSpan()
            .Fixed64(7, 1)
            .Message(9, ProtoBuilder.StringAttribute("k", "v"))
            .Message(15, new ProtoBuilder().String(2, "msg").Varint(3, 2)));

        Assert.True(OtlpTraceDecoder.TryDecode(body, OtlpEncoding.Protobuf, out _, out _));
        for (var cut = 1; cut < body.Length; cut++)
        {
            Assert.False(OtlpTraceDecoder.TryDecode(body.AsSpan(0, cut), OtlpEncoding.Protobuf, out _, out var error), $"cut at {cut}");
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, "runs past")]              // resource_spans claims 4 GiB
    [InlineData(new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, "varint")]   // unknown field 2, 11-byte varint
    [InlineData(new byte[] { 0x0B }, "wire type 3")]                                          // proto2 group
    [InlineData(new byte[] { 0x00 }, "field number 0")]
    [InlineData(new byte[] { 0x09, 1, 2, 3, 4, 5, 6, 7, 8 }, "wire type 1")]                  // resource_spans as fixed64
    public void TryDecode_CorruptProtobuf_Fails(byte[] body, string expected)
    {
        Assert.False(OtlpTraceDecoder.TryDecode(body, OtlpEncoding.Protobuf, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"resourceSpans\":{}}")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"-1\"}]}]}]}")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"99999999999999999999\"}]}]}]}")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"sideways\"}]}]}]}")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\",\"value\":{\"intValue\":\"1.5\"}}]}]}]}]}")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\",\"value\":{\"bytesValue\":\"***\"}}]}]}]}]}")]
    public void TryDecode_MalformedJson_Fails(string json)
    {
        Assert.False(OtlpTraceDecoder.TryDecode(Encoding.UTF8.GetBytes(json), OtlpEncoding.Json, out var spans, out var error));
        Assert.Empty(spans);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryDecode_DeeplyNestedProtobufValue_FailsWithNestingError()
    {
        // AnyValue { array_value { values: AnyValue { array_value { ... } } } }, 40 levels.
        var value = new ProtoBuilder().String(1, "leaf");
        for (var i = 0; i < 40; i++)
        {
            value = new ProtoBuilder().Message(5, new ProtoBuilder().Message(1, value));
        }

        var span = ValidSpan().Message(9, new ProtoBuilder().String(1, "deep").Message(2, value));

        Assert.False(OtlpTraceDecoder.TryDecode(ProtoBuilder.Request(span), OtlpEncoding.Protobuf, out _, out var error));
        Assert.Contains("nest", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_DeeplyNestedJsonValue_Fails()
    {
        var value = "{\"stringValue\":\"leaf\"}";
        for (var i = 0; i < 40; i++)
        {
            value = "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":" + value + "}]}}";
        }

        Assert.False(OtlpTraceDecoder.TryDecode(OtlpTestPayloads.JsonRequest($"[{{\"key\":\"deep\",\"value\":{value}}}]"), OtlpEncoding.Json, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));

        // A million brackets stop at the document depth cap rather than the stack.
        var brackets = new string('[', 1_000_000);
        Assert.False(OtlpTraceDecoder.TryDecode(Encoding.UTF8.GetBytes("{\"resourceSpans\":" + brackets), OtlpEncoding.Json, out _, out error));
        Assert.Contains("invalid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_ModeratelyNestedValue_IsFlattened()
    {
        var value = new ProtoBuilder().String(1, "leaf");
        for (var i = 0; i < 5; i++)
        {
            value = new ProtoBuilder().Message(6, new ProtoBuilder().Message(1, new ProtoBuilder().String(1, "k").Message(2, value)));
        }

        var span = ValidSpan().Message(9, new ProtoBuilder().String(1, "root").Message(2, value));

        Assert.True(OtlpTraceDecoder.TryDecode(ProtoBuilder.Request(span), OtlpEncoding.Protobuf, out var spans, out var error), error);
        Assert.Equal("leaf", Assert.Single(spans).Attributes["root.k.k.k.k.k"]);
    }

    [Fact]
    public void TryDecode_RandomlyCorruptedProtobuf_NeverThrows()
    {
        var body = ProtoBuilder.Request(ValidSpan()
            .Fixed64(7, 1)
            .Fixed64(8, 2)
            .Message(9, ProtoBuilder.StringAttribute("gen_ai.input.messages", "[{\"role\":\"user\"}]"))
            .Message(11, new ProtoBuilder().Fixed64(1, 1).String(2, "gen_ai.choice").Message(3, ProtoBuilder.StringAttribute("a", "b")))
            .Message(13, new ProtoBuilder().Bytes(1, s_traceId).Bytes(2, s_spanId))
            .Message(15, new ProtoBuilder().String(2, "m").Varint(3, 2)));
        var random = new Random(1234);
        for (var i = 0; i < 5_000; i++)
        {
            var copy = (byte[])body.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            // Any outcome is fine as long as it is an answer, not an exception.
            _ = OtlpTraceDecoder.TryDecode(copy, OtlpEncoding.Protobuf, out _, out _);
        }
    }

    [Fact]
    public void Decompress_GzipBomb_StopsAtTheLimit()
    {
        var bomb = OtlpTestPayloads.Gzip(new byte[64 * 1024 * 1024]);
        Assert.True(bomb.Length < 256 * 1024);

        var thrown = Assert.Throws<OtlpBodyTooLargeException>(() => OtlpTraceDecoder.Decompress(bomb, 1024 * 1024));
        Assert.Equal(1024 * 1024, thrown.Limit);
    }

    [Fact]
    public void Decompress_WithinLimit_ReturnsBody_CorruptGzip_IsInvalidData()
    {
        var body = Encoding.UTF8.GetBytes("{\"resourceSpans\":[]}");
        Assert.Equal(body, OtlpTraceDecoder.Decompress(OtlpTestPayloads.Gzip(body), body.Length));

        Assert.Throws<InvalidDataException>(() => OtlpTraceDecoder.Decompress("definitely not gzip"u8, 1024));
    }

    private static ProtoBuilder ValidSpan() => new ProtoBuilder().Bytes(1, s_traceId).Bytes(2, s_spanId).String(5, "span");
}
