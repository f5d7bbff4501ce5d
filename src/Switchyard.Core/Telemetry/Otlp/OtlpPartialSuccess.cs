using System.Text;

namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// The protobuf body of an <c>ExportTraceServiceResponse</c> that reports refused spans:
/// partial_success=1 { rejected_spans=1 (int64), error_message=2 (string) }.
/// </summary>
internal static class OtlpPartialSuccess
{
    public static byte[] Encode(long rejectedSpans, string errorMessage)
    {
        var inner = new List<byte> { 0x08 };
        Varint(inner, (ulong)rejectedSpans);
        var message = Encoding.UTF8.GetBytes(errorMessage);
        inner.Add(0x12);
        Varint(inner, (ulong)message.Length);
        inner.AddRange(message);

        var outer = new List<byte> { 0x0a };
        Varint(outer, (ulong)inner.Count);
        outer.AddRange(inner);
        return [.. outer];
    }

    private static void Varint(List<byte> bytes, ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }
}
