using System.Security.Cryptography;

namespace Switchyard.Gateway;

/// <summary>
/// Random bytes for new trace ids, drawn from <see cref="RandomNumberGenerator"/> a kilobyte at a time
/// per thread. One draw per call (10 bytes through OpenSSL, which takes a lock and checks the process id
/// every time) was 2–3 % of a plain call's CPU (docs/benchmarks.md, issue 16); the bytes are the same
/// generator's, handed out in order and never twice.
/// </summary>
internal static class TraceIdRandom
{
    private const int BufferSize = 1024;

    [ThreadStatic]
    private static byte[]? s_buffer;

    [ThreadStatic]
    private static int s_used;

    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > BufferSize)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        var buffer = s_buffer;
        if (buffer is null || s_used + destination.Length > BufferSize)
        {
            buffer ??= s_buffer = new byte[BufferSize];
            RandomNumberGenerator.Fill(buffer);
            s_used = 0;
        }

        buffer.AsSpan(s_used, destination.Length).CopyTo(destination);
        s_used += destination.Length;
    }
}
