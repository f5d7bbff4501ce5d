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

    /// <summary>
    /// Each deployment's <c>connect_timeout</c> by its upstream URL object, which a deployment builds once
    /// and reuses: the connect callback finds it by reference, and a request pays one lookup, no allocation.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, TimeSpan> _connectTimeouts = new(ReferenceEqualityComparer.Instance);

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
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, ConnectTimeoutFor(context.InitialRequestMessage.RequestUri, connectTimeout), cancellationToken),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            // The gateway writes traceparent itself, with its own span as the parent.
            ActivityHeadersPropagator = null,
        };
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <param name="connectTimeout">The deployment's; applies when this request has to open a connection.</param>
    public async ValueTask<UpstreamResponse> SendAsync(HttpRequestMessage request, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && !_connectTimeouts.ContainsKey(uri))
        {
            _connectTimeouts[uri] = connectTimeout;
        }

        var response = await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new UpstreamResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body, response)
            {
                // Read only where they matter: Retry-After on refusals; rate-limit headers on demand.
                RetryAfter = (int)response.StatusCode >= 400 ? ReadRetryAfter(response, _time.GetUtcNow()) : null,
                Headers = response.Headers,
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

    private TimeSpan ConnectTimeoutFor(Uri? uri, TimeSpan fallback) => uri is not null && _connectTimeouts.TryGetValue(uri, out var timeout) ? timeout : fallback;

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, TimeSpan timeout, CancellationToken cancellationToken)
    {
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
