using System.Buffers;

namespace Switchyard.Ingress;

/// <summary>A request body held in a buffer rented from <see cref="ArrayPool{T}.Shared"/>; returned on dispose.</summary>
internal sealed class RequestBody : IDisposable
{
    public static readonly RequestBody Empty = new(null, 0);

    private byte[]? _buffer;

    public RequestBody(byte[]? buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    /// <summary>A body holding a copy of <paramref name="bytes"/> (a rewritten request), in pooled memory.</summary>
    public static RequestBody CopyOf(ReadOnlySpan<byte> bytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, bytes.Length));
        bytes.CopyTo(buffer);
        return new RequestBody(buffer, bytes.Length);
    }

    public ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => Memory.Span;

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
