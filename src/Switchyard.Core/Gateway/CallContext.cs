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
    private Responses.CallResponse? _response;

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

    /// <summary>The request body, in pooled memory owned by the context; set through <see cref="ReplaceBody"/>.</summary>
    public RequestBody Body { get; private set; } = RequestBody.Empty;

    /// <summary>The few fields the gateway needs from the body.</summary>
    public ParsedRequest Request { get; private set; } = ParsedRequest.Empty;

    public Caller Caller { get; set; } = Caller.Anonymous;

    /// <summary>End user: <c>x-switchyard-user</c>, else the body's <c>user</c> (or Anthropic <c>metadata.user_id</c>).</summary>
    public string? User { get; set; }

    /// <summary><c>x-switchyard-session</c>.</summary>
    public string? Session { get; set; }

    /// <summary><c>x-switchyard-tags</c>, comma separated.</summary>
    public string[]? Tags { get; set; }

    /// <summary>The body's <c>metadata</c> merged with <c>x-switchyard-metadata</c>, as a JSON object.</summary>
    public string? MetadataJson { get; set; }

    /// <summary>The response path: every answer goes through it and through the components stages added to it.</summary>
    public Responses.CallResponse Response => _response ??= new Responses.CallResponse(this);

    /// <summary>Content kept for the trace; null when the capture policy keeps none for this call.</summary>
    public Recording.ContentCapture? Capture { get; set; }

    /// <summary>What the cache did; null when the call never reached it.</summary>
    public Caching.CacheResult? Cache { get; set; }

    /// <summary>The last user turn and its vector, taken out by the first stage that compares meaning; null until then.</summary>
    public Embeddings.TurnEmbedding? Turn { get; set; }

    /// <summary>The guardrails' verdicts on this call; null when no guard runs for its model group.</summary>
    public Guardrails.GuardrailReport? Guardrails { get; set; }

    /// <summary>The documents of the body's <c>context</c> extension, taken out of the body at ingress; null when it had none.</summary>
    public IReadOnlyList<string>? Context { get; set; }

    /// <summary>The prompt version the call rendered; null when it named none.</summary>
    public Prompts.Serving.PromptUse? Prompt { get; set; }

    /// <summary>A model snapshot the call's prompt version pins; sent instead of a deployment's model of the same family.</summary>
    public string? PinnedModel { get; set; }

    /// <summary>How the upstream's model or system_fingerprint changed against the last call of the same deployment and model; null when it did not.</summary>
    public string? ModelChange { get; set; }

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

    /// <summary>The model to ask <paramref name="deployment"/> for: the pinned snapshot when it is of the deployment's model family.</summary>
    public string ModelFor(Deployment deployment) =>
        PinnedModel is { } pinned && Prompts.Serving.ModelPin.Fits(pinned, deployment.Model) ? pinned : deployment.Model;

    public System.Text.Json.JsonEncodedText ModelJsonFor(Deployment deployment) =>
        PinnedModel is { } pinned && Prompts.Serving.ModelPin.Fits(pinned, deployment.Model) ? System.Text.Json.JsonEncodedText.Encode(pinned) : deployment.ModelJsonString;

    public TimeSpan Elapsed(long timestamp) => Stopwatch.GetElapsedTime(StartTimestamp, timestamp);

    public void MarkFirstToken()
    {
        if (FirstTokenTimestamp == 0)
        {
            FirstTokenTimestamp = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>
    /// Puts a body in place of the request's: the one way to set it, for ingress and for a stage that
    /// rewrites the request (a redacted or resolved prompt), so the fields every stage reads are always
    /// parsed from the body that is sent. The old body's buffer is returned; on a parse error the new
    /// one is, nothing changes, and the message says why. Caller hints (user, session, metadata) stay
    /// as ingress read them.
    /// </summary>
    public string? ReplaceBody(RequestBody body, in RequestLimits limits)
    {
        if (!RequestParser.TryParse(body.Span, limits, out var parsed, out var error))
        {
            body.Dispose();
            return error;
        }

        var old = Body;
        Body = body;
        Request = parsed;
        Turn = null; // taken from the old body: a redacted turn must be read (and embedded) again
        old.Dispose();
        return null;
    }

    public void Fail(int status, string type, string message)
    {
        Status = status;
        ErrorType = type;
        ErrorMessage = message;
    }
}
