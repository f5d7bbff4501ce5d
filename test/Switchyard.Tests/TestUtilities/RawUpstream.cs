using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchyard.Tests.TestUtilities;

/// <summary>
/// A bare TCP server on 127.0.0.1 that writes whatever bytes a test chooses after each request: the
/// malformed replies (bad header lines, broken chunked encoding) Kestrel cannot be made to send.
/// </summary>
internal sealed class RawUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private RawUpstream()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    public string BaseUrl { get; }

    /// <summary>Writes the reply once the request has been read; the connection closes when it returns.</summary>
    public Func<Stream, CancellationToken, Task> Respond { get; set; } = (stream, ct) => WriteAsync(stream, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", ct);

    public static RawUpstream Start() => new();

    public static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                await ReadRequestAsync(stream, _stop.Token);
                await Respond(stream, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The gateway hung up first, or the test ended.
            }
        }
    }

    /// <summary>Reads headers and a Content-Length body, so the reply never races the request.</summary>
    private static async Task ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        int headerEnd;
        while ((headerEnd = Encoding.Latin1.GetString(buffer, 0, length).IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return;
            }

            length += read;
        }

        var headers = Encoding.Latin1.GetString(buffer, 0, headerEnd);
        var contentLength = headers.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var missing = headerEnd + 4 + contentLength - length;
        while (missing > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, missing)), cancellationToken);
            if (read == 0)
            {
                return;
            }

            missing -= read;
        }
    }
}
