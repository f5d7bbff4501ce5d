using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Buffers;

namespace Switchyard.Ingress;

/// <summary>
/// Produces the upstream body from the client's: the same bytes with the model swapped and, for streams,
/// <c>stream_options.include_usage</c> switched on. Nothing else is re-serialised, so every field the
/// client sent reaches the upstream exactly as sent.
/// </summary>
internal static class BodyRewriter
{
    private static readonly byte[] s_includeUsageProperty = "\"stream_options\":{\"include_usage\":true},"u8.ToArray();

    public static void Rewrite(ReadOnlySpan<byte> body, ParsedRequest request, JsonEncodedText model, bool forceUsage, PooledBufferWriter output)
    {
        // Edits are applied front to back; each is a (range, replacement) over the original body.
        var insertUsage = forceUsage && request.Stream && request.IncludeUsage != true;
        var streamOptionsRange = insertUsage && !request.StreamOptionsValue.Equals(default(Range)) ? request.StreamOptionsValue : default;
        var position = 0;

        if (insertUsage && streamOptionsRange.Equals(default(Range)))
        {
            output.Write(body[..(request.ObjectStart + 1)]);
            output.Write(s_includeUsageProperty);
            position = request.ObjectStart + 1;
        }

        var edits = new (Range Range, int Kind)[2];
        var count = 0;
        if (!request.ModelValue.Equals(default(Range)))
        {
            edits[count++] = (request.ModelValue, 0);
        }

        if (!streamOptionsRange.Equals(default(Range)))
        {
            edits[count++] = (streamOptionsRange, 1);
        }

        if (count == 2 && edits[1].Range.Start.Value < edits[0].Range.Start.Value)
        {
            (edits[0], edits[1]) = (edits[1], edits[0]);
        }

        for (var i = 0; i < count; i++)
        {
            var (range, kind) = edits[i];
            var start = range.Start.Value;
            output.Write(body[position..start]);
            if (kind == 0)
            {
                WriteString(output, model);
            }
            else
            {
                WriteStreamOptionsWithUsage(body[range], output);
            }

            position = range.End.Value;
        }

        output.Write(body[position..]);
    }

    private static void WriteString(PooledBufferWriter output, JsonEncodedText text)
    {
        output.Write("\""u8);
        output.Write(text.EncodedUtf8Bytes);
        output.Write("\""u8);
    }

    // Rare path: the client sent stream_options without include_usage; keep its other options.
    private static void WriteStreamOptionsWithUsage(ReadOnlySpan<byte> original, PooledBufferWriter output)
    {
        var node = JsonNode.Parse(original) as JsonObject ?? [];
        node["include_usage"] = true;
        using var writer = new Utf8JsonWriter(output);
        node.WriteTo(writer);
    }
}
