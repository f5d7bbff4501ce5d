using Switchyard.Buffers;

namespace Switchyard.Streaming;

/// <summary>
/// Splits a byte buffer into Server-Sent Events without copying.
/// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation —
/// lines end in CRLF, LF or CR; a blank line ends an event; "field: value" with one optional space.
/// </summary>
internal static class SseParser
{
    /// <summary>Length of the first complete event in <paramref name="buffer"/> (terminator included), or -1.</summary>
    public static int FindEventEnd(ReadOnlySpan<byte> buffer)
    {
        var offset = 0;
        while (true)
        {
            var i = buffer[offset..].IndexOfAny((byte)'\n', (byte)'\r');
            if (i < 0)
            {
                return -1;
            }

            var lineEnd = offset + i;
            var next = lineEnd + 1;
            if (buffer[lineEnd] == '\r')
            {
                if (next >= buffer.Length)
                {
                    return -1; // CR at the end: wait to see whether LF follows.
                }

                if (buffer[next] == '\n')
                {
                    next++;
                }
            }

            // The line just ended was blank (the event started here or followed another line end).
            if (lineEnd == offset)
            {
                if (lineEnd == 0)
                {
                    // Leading blank lines separate nothing; treat them as an empty event to skip.
                    return next;
                }

                return next;
            }

            offset = next;
            if (offset >= buffer.Length)
            {
                return -1;
            }
        }
    }

    /// <summary>Parses one complete event. <paramref name="scratch"/> holds joined multi-line data.</summary>
    public static SseEvent Parse(ReadOnlySpan<byte> raw, PooledBufferWriter scratch)
    {
        ReadOnlySpan<byte> name = default, data = default;
        var dataLines = 0;
        var rest = raw;
        while (!rest.IsEmpty)
        {
            var i = rest.IndexOfAny((byte)'\n', (byte)'\r');
            var line = i < 0 ? rest : rest[..i];
            if (i < 0)
            {
                rest = default;
            }
            else
            {
                var skip = rest[i] == '\r' && i + 1 < rest.Length && rest[i + 1] == '\n' ? 2 : 1;
                rest = rest[(i + skip)..];
            }

            if (line.IsEmpty || line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? default : line[(colon + 1)..];
            if (!value.IsEmpty && value[0] == ' ')
            {
                value = value[1..];
            }

            if (field.SequenceEqual("data"u8))
            {
                if (dataLines == 0)
                {
                    data = value;
                }
                else
                {
                    if (dataLines == 1)
                    {
                        scratch.Clear();
                        scratch.Write(data);
                    }

                    scratch.Write("\n"u8);
                    scratch.Write(value);
                    data = scratch.WrittenSpan;
                }

                dataLines++;
            }
            else if (field.SequenceEqual("event"u8))
            {
                name = value;
            }
        }

        return new SseEvent(raw, name, data);
    }
}
