namespace Switchyard.Providers;

/// <summary>
/// What an upstream answered, at the moment its headers arrived. The body has not been read yet, so a
/// stream can be relayed as it comes; disposing the response releases the connection.
/// </summary>
internal sealed class UpstreamResponse : IAsyncDisposable
{
    private readonly IDisposable? _owner;

    public UpstreamResponse(int statusCode, string? contentType, Stream body, IDisposable? owner = null)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
        _owner = owner;
    }

    public int StatusCode { get; }

    public string? ContentType { get; }

    public Stream Body { get; }

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public bool IsEventStream => ContentType is not null && ContentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>Retry-After</c> or <c>retry-after-ms</c> of the upstream, if it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The upstream's response headers, for what is read only on demand (rate-limit headroom).</summary>
    public System.Net.Http.Headers.HttpResponseHeaders? Headers { get; init; }

    /// <summary>The rate limit the upstream reported left, for <c>most_headroom</c> balancing.</summary>
    public RateLimitHeadroom ReadRateLimit(DateTimeOffset now) => Headers is { } headers ? RateLimitHeadroom.Read(headers, now) : default;

    /// <summary>Upstream request id (<c>x-request-id</c>, <c>request-id</c>), for traces.</summary>
    public string? RequestId { get; init; }

    public async ValueTask DisposeAsync()
    {
        await Body.DisposeAsync().ConfigureAwait(false);
        _owner?.Dispose();
    }
}
