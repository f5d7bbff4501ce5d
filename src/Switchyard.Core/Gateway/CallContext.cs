using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Switchyard.Accounting;
using Switchyard.Ingress;
using Switchyard.Routing;

namespace Switchyard.Gateway;

/// <summary>
/// Everything one gateway call learns and decides on its way down the stages: the request, the caller,
/// the route and its attempts, usage and timings. Stages read and write it; nothing else is passed
/// around. When the call ends it is handed to the recorder, off the request path.
/// </summary>
internal sealed class CallContext
{
    public CallContext(HttpContext http, ClientApi api, long startTimestamp, DateTimeOffset startTime, TraceIds trace)
    {
        Http = http;
        Api = api;
        StartTimestamp = startTimestamp;
        StartTime = startTime;
        Trace = trace;
    }

    public HttpContext Http { get; }

    public ClientApi Api { get; }

    /// <summary><see cref="Stopwatch"/> timestamp at arrival; all durations are measured from it.</summary>
    public long StartTimestamp { get; }

    public DateTimeOffset StartTime { get; }

    public TraceIds Trace { get; }

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The request body, in pooled memory owned by the context.</summary>
    public RequestBody Body { get; set; } = RequestBody.Empty;

    /// <summary>The few fields the gateway needs from the body.</summary>
    public ParsedRequest Request { get; set; } = ParsedRequest.Empty;

    public Caller Caller { get; set; } = Caller.Anonymous;

    /// <summary>End user: <c>x-switchyard-user</c>, else the body's <c>user</c> (or Anthropic <c>metadata.user_id</c>).</summary>
    public string? User { get; set; }

    /// <summary><c>x-switchyard-session</c>.</summary>
    public string? Session { get; set; }

    /// <summary><c>x-switchyard-tags</c>, comma separated.</summary>
    public string[]? Tags { get; set; }

    /// <summary>The body's <c>metadata</c> merged with <c>x-switchyard-metadata</c>, as a JSON object.</summary>
    public string? MetadataJson { get; set; }

    /// <summary>Whether this call's content is stored (capture policy, decided at ingress).</summary>
    public bool CaptureContent { get; set; }

    /// <summary>The client's response body (plain calls), when content is captured.</summary>
    public byte[]? CapturedResponse { get; set; }

    /// <summary>Upstream stream events' data, LF-separated, when content is captured; assembled off the request path.</summary>
    public Buffers.PooledBufferWriter? CapturedStream { get; set; }

    /// <summary>Wire format of <see cref="CapturedStream"/>'s events.</summary>
    public Providers.WireFormat CapturedStreamFormat { get; set; }

    /// <summary>What the cache did: <c>hit</c>, <c>miss</c> or <c>bypass</c>; null when the call never reached it.</summary>
    public string? CacheOutcome { get; set; }

    /// <summary>The upstream cost a cache hit avoided, in nano-USD.</summary>
    public long? CacheSavedNanoUsd { get; set; }

    /// <summary>For a semantic hit, the cosine similarity of this request's last user turn to the cached one's.</summary>
    public double? CacheSimilarity { get; set; }

    /// <summary>Set by the cache stage on a miss it will store: keep the client's answer whole (up to <see cref="CacheMaxBytes"/>).</summary>
    public bool CacheCapture { get; set; }

    public int CacheMaxBytes { get; set; }

    /// <summary>A plain answer as the client got it, kept for the cache.</summary>
    public byte[]? CacheBody { get; set; }

    /// <summary>A streamed answer's upstream events (length-prefixed data), kept for the cache; null once over the size bound.</summary>
    public Buffers.PooledBufferWriter? CacheStream { get; set; }

    public Providers.WireFormat CacheStreamFormat { get; set; }

    /// <summary>False when the kept stream outgrew <see cref="CacheMaxBytes"/>.</summary>
    public bool CacheStreamComplete { get; set; } = true;

    public ModelGroup? Group { get; set; }

    /// <summary>The deployment that answered (or the last one tried).</summary>
    public Deployment? Deployment { get; set; }

    public List<Attempt> Attempts { get; } = [];

    public TokenUsage Usage { get; set; }

    /// <summary>Cost in nano-USD once the call ended; null when the model has no price.</summary>
    public long? CostNanoUsd { get; set; }

    /// <summary>Set once usage and cost are final (see <see cref="CallCost"/>).</summary>
    public bool Accounted { get; set; }

    /// <summary>What the call holds against limits and budgets until it settles.</summary>
    public Limits.LimitTicket? Limits { get; set; }

    /// <summary>False when usage was counted locally because the provider reported none.</summary>
    public bool UsageReported { get; set; }

    public string? FinishReason { get; set; }

    public string? UpstreamModel { get; set; }

    public string? SystemFingerprint { get; set; }

    /// <summary>HTTP status the client got.</summary>
    public int Status { get; set; }

    /// <summary>Error type when the call failed (OpenAI error <c>type</c> vocabulary).</summary>
    public string? ErrorType { get; set; }

    public string? ErrorMessage { get; set; }

    /// <summary>Stopwatch timestamp of the first content token sent to the client; 0 if none.</summary>
    public long FirstTokenTimestamp { get; set; }

    public long EndTimestamp { get; set; }

    /// <summary>True once any byte of the response body reached the client: no retry after that.</summary>
    public bool ResponseStarted => Http.Response.HasStarted;

    public TimeSpan Elapsed(long timestamp) => Stopwatch.GetElapsedTime(StartTimestamp, timestamp);

    public void MarkFirstToken()
    {
        if (FirstTokenTimestamp == 0)
        {
            FirstTokenTimestamp = Stopwatch.GetTimestamp();
        }
    }

    public void Fail(int status, string type, string message)
    {
        Status = status;
        ErrorType = type;
        ErrorMessage = message;
    }
}
