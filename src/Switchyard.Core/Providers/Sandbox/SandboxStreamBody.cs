namespace Switchyard.Providers.Sandbox;

/// <summary>
/// The read-only body of a simulated stream. A cut stream ends with an <see cref="IOException"/> only once the
/// reader has drained every chunk sent before the cut: a pipe completed with an error would drop those.
/// </summary>
internal sealed class SandboxStreamBody : Stream
{
    private readonly Stream _inner;
    private readonly Func<bool> _wasCut;

    public SandboxStreamBody(Stream inner, Func<bool> wasCut)
    {
        _inner = inner;
        _wasCut = wasCut;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Checked(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Checked(_inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Checked(await _inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Checked(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Checked(int read) =>
        read == 0 && _wasCut() ? throw new IOException("sandbox: simulated stream cut; the upstream closed the connection mid-stream") : read;
}
