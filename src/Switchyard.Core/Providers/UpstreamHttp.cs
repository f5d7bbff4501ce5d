using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Switchyard.Providers;

/// <summary>
/// The one HTTP client every upstream call goes through: a <see cref="SocketsHttpHandler"/> tuned for
/// a proxy (no cookies, redirects, decompression or system proxy) behind an <see cref="HttpMessageInvoker"/>,
/// which returns at response headers and never buffers a body.
/// </summary>
internal sealed class UpstreamHttp : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly TimeProvider _time;

    /// <summary>The deployment's <c>connect_timeout</c>, carried on each request to the connect callback.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeoutOption = new("switchyard.connect_timeout");

    public UpstreamHttp(TimeProvider time, TimeSpan connectTimeout)
    {
        _time = time;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            // Deployments differ in connect timeout, and the handler has one: the callback applies each
            // request's own (the request that opens a pooled connection decides for it).
            ConnectTimeout = Timeout.InfiniteTimeSpan,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, connectTimeout, cancellationToken),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            // The gateway writes traceparent itself, with its own span as the parent.
            ActivityHeadersPropagator = null,
        };
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public async ValueTask<UpstreamResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new UpstreamResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body, response)
            {
                RetryAfter = ReadRetryAfter(response, _time.GetUtcNow()),
                RateLimit = RateLimitHeadroom.Read(response.Headers, _time.GetUtcNow()),
                RequestId = First(response.Headers, "x-request-id") ?? First(response.Headers, "request-id"),
            };
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public void Dispose() => _invoker.Dispose();

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, TimeSpan defaultTimeout, CancellationToken cancellationToken)
    {
        var timeout = context.InitialRequestMessage.Options.TryGetValue(ConnectTimeoutOption, out var own) ? own : defaultTimeout;
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cts.Token).ConfigureAwait(false);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"connect to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} timed out after {timeout.TotalSeconds:0.###} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Honours <c>retry-after-ms</c> (OpenAI) before <c>Retry-After</c> in seconds or as a date.</summary>
    internal static TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (First(response.Headers, "retry-after-ms") is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
