using System.IO.Compression;
using System.Text.Json;

namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// Decodes OTLP/HTTP trace exports (<c>POST /v1/traces</c>, an <c>ExportTraceServiceRequest</c>)
/// into <see cref="IngestedSpan"/>s, mapped by <see cref="SpanMapper"/>.
/// </summary>
internal static class OtlpTraceDecoder
{
    /// <summary>
    /// Decodes <paramref name="body"/>. Never throws: malformed input, an over-deep value, or a span
    /// with an invalid id yields false, no spans and an error text (naming the span where one is at
    /// fault). One bad span rejects the whole export, so a client's retry cannot half-apply.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> body, OtlpEncoding encoding, out IReadOnlyList<IngestedSpan> spans, out string? error)
    {
        spans = [];
        error = null;
        List<OtlpSpan> decoded;
        try
        {
            decoded = encoding switch
            {
                OtlpEncoding.Protobuf => OtlpProtobufReader.Read(body),
                OtlpEncoding.Json => OtlpJsonReader.Read(body),
                _ => throw new OtlpFormatException($"unsupported encoding {encoding}"),
            };
        }
        catch (OtlpFormatException e)
        {
            error = e.Message;
            return false;
        }
        catch (JsonException e)
        {
            error = "invalid JSON: " + e.Message;
            return false;
        }

        var result = new List<IngestedSpan>(decoded.Count);
        foreach (var span in decoded)
        {
            result.Add(SpanMapper.Map(span));
        }

        spans = result;
        return true;
    }

    /// <summary>
    /// Inflates a <c>Content-Encoding: gzip</c> body, reading no more than <paramref name="maxBytes"/>
    /// bytes of output however small the input (a gzip bomb stops at the limit, not at the end).
    /// </summary>
    /// <exception cref="OtlpBodyTooLargeException">The output would exceed <paramref name="maxBytes"/>.</exception>
    /// <exception cref="InvalidDataException">The body is not valid gzip.</exception>
    public static byte[] Decompress(ReadOnlySpan<byte> body, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        using var input = new MemoryStream(body.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            // Ask for at most one byte past the limit: enough to know it was crossed.
            var wanted = (int)Math.Min(chunk.Length, maxBytes - output.Length + 1);
            var read = gzip.Read(chunk, 0, wanted);
            if (read == 0)
            {
                return output.ToArray();
            }

            if (output.Length + read > maxBytes)
            {
                throw new OtlpBodyTooLargeException(maxBytes);
            }

            output.Write(chunk, 0, read);
        }
    }

    /// <summary>
    /// Checks a span's ids as soon as the reader has it, so a body of thousands of empty spans fails at
    /// the first rather than after allocating them all.
    /// </summary>
    /// <remarks>
    /// trace.proto: a trace id is 16 bytes, a span id 8, neither all zero; parent_span_id is empty for
    /// a root span. An all-zero parent is read as "no parent", as some exporters send it.
    /// </remarks>
    /// <exception cref="OtlpFormatException">An id is invalid; the message names the span.</exception>
    internal static void Validate(OtlpSpan span)
    {
        string? error = null;
        var spanIdHex = Convert.ToHexStringLower(span.SpanId);
        var who = $"span '{span.Name}' (span id '{spanIdHex}')";
        if (span.TraceId.Length != 16 || IsAllZero(span.TraceId))
        {
            error = $"{who}: trace id must be 16 bytes and not all zero (got {span.TraceId.Length} bytes)";
        }
        else if (span.SpanId.Length != 8 || IsAllZero(span.SpanId))
        {
            error = $"{who}: span id must be 8 bytes and not all zero (got {span.SpanId.Length} bytes)";
        }
        else if (span.ParentSpanId.Length is not (0 or 8))
        {
            error = $"{who}: parent span id must be empty or 8 bytes (got {span.ParentSpanId.Length} bytes)";
        }
        else if (span.StartUnixNano > long.MaxValue || span.EndUnixNano > long.MaxValue)
        {
            error = $"{who}: start or end time is out of range";
        }

        if (error is not null)
        {
            throw new OtlpFormatException(error);
        }
    }

    private static bool IsAllZero(byte[] bytes) => !bytes.AsSpan().ContainsAnyExcept((byte)0);
}
