using System.Buffers.Binary;

namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// A minimal protobuf wire-format reader (https://protobuf.dev/programming-guides/encoding/):
/// tags, varints, fixed32/fixed64 and length-delimited fields over one buffer. Every read is
/// bounds-checked and throws <see cref="OtlpFormatException"/> on truncated or invalid input, so a
/// hostile length can never read past the buffer or allocate more than the buffer holds.
/// </summary>
internal ref struct ProtoReader
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly string _message;
    private int _position;

    /// <param name="buffer">The encoded message.</param>
    /// <param name="message">The message's proto name, for error texts.</param>
    public ProtoReader(ReadOnlySpan<byte> buffer, string message)
    {
        _buffer = buffer;
        _message = message;
        _position = 0;
    }

    public readonly bool End => _position >= _buffer.Length;

    /// <summary>Reads a field tag: field number in the high bits, wire type in the low three.</summary>
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var field = tag >> 3;
        // Field number 0 is reserved and the largest legal one is 2^29 - 1.
        if (field == 0 || field > 0x1FFF_FFFF)
        {
            throw new OtlpFormatException($"{_message}: invalid field number {field}");
        }

        return ((int)field, (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        // A 64-bit varint has at most 10 bytes; more is malformed, not a reason to keep reading.
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                throw Truncated();
            }

            var b = _buffer[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new OtlpFormatException($"{_message}: varint longer than 10 bytes");
    }

    public ulong ReadFixed64()
    {
        if (_buffer.Length - _position < 8)
        {
            throw Truncated();
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.Slice(_position, 8));
        _position += 8;
        return value;
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_buffer.Length - _position))
        {
            throw new OtlpFormatException($"{_message}: length {length} runs past the end of the message");
        }

        var slice = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadLengthDelimited());

    /// <summary>Skips a field this decoder does not need (unknown fields must be ignored).</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                ReadFixed64();
                break;
            case LengthDelimited:
                ReadLengthDelimited();
                break;
            case Fixed32:
                if (_buffer.Length - _position < 4)
                {
                    throw Truncated();
                }

                _position += 4;
                break;
            default:
                // Wire types 3 and 4 are proto2 groups, which no OTLP message uses; 6 and 7 do not exist.
                throw new OtlpFormatException($"{_message}: unsupported wire type {wireType}");
        }
    }

    /// <summary>Fails unless a known field arrived with the wire type its declaration implies.</summary>
    public readonly void Expect(int field, int wireType, int expected)
    {
        if (wireType != expected)
        {
            throw new OtlpFormatException($"{_message}: field {field} has wire type {wireType}, expected {expected}");
        }
    }

    private readonly OtlpFormatException Truncated() => new($"{_message}: truncated at byte {_position}");
}
