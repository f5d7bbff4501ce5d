using System.Buffers.Binary;
using System.Text;

namespace Switchyard.Tests.Telemetry.Otlp;

/// <summary>Writes protobuf wire format by hand, for payloads no SDK would produce (bad ids, deep nesting, odd wire types).</summary>
internal sealed class ProtoBuilder
{
    private readonly MemoryStream _buffer = new();

    public ProtoBuilder Varint(int field, ulong value)
    {
        Tag(field, 0);
        WriteVarint(value);
        return this;
    }

    public ProtoBuilder Fixed64(int field, ulong value)
    {
        Tag(field, 1);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public ProtoBuilder Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtoBuilder String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoBuilder Message(int field, ProtoBuilder message) => Bytes(field, message.ToArray());

    public ProtoBuilder Raw(params byte[] bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>A common.proto KeyValue with a string AnyValue.</summary>
    public static ProtoBuilder StringAttribute(string key, string value) =>
        new ProtoBuilder().String(1, key).Message(2, new ProtoBuilder().String(1, value));

    /// <summary>An ExportTraceServiceRequest holding one span in one resource and scope.</summary>
    public static byte[] Request(ProtoBuilder span) =>
        new ProtoBuilder().Message(1, new ProtoBuilder().Message(2, new ProtoBuilder().Message(2, span))).ToArray();

    private void Tag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
