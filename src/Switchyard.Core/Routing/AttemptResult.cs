using Switchyard.Exchanges;

namespace Switchyard.Routing;

/// <summary>Why an attempt failed, as routing sees it: it decides retry, fallback and the breaker.</summary>
internal enum FailureReason
{
    /// <summary>Upstream 5xx.</summary>
    ServerError,

    /// <summary>Upstream 429.</summary>
    RateLimited,

    /// <summary>Upstream 408 or 409: the upstream asks for the call again.</summary>
    RetryableStatus,

    /// <summary>No connection, refused, reset, DNS or TLS failure, connect timeout.</summary>
    Unreachable,

    /// <summary>The connection broke or the stream ended before the first byte.</summary>
    Broken,

    /// <summary>The whole attempt took longer than its total timeout.</summary>
    Timeout,

    /// <summary>A stream's first byte did not come within <c>first_token_timeout</c>.</summary>
    FirstTokenTimeout,

    /// <summary>A stream went silent for longer than <c>idle_timeout</c> after it had started.</summary>
    IdleTimeout,

    /// <summary>The request does not fit the model's context window.</summary>
    ContextWindow,

    /// <summary>The upstream refused the content under its policy.</summary>
    ContentPolicy,

    /// <summary>Any other client error (400, 401, 403, 404, 413, 422...): sending it again changes nothing.</summary>
    ClientError,

    /// <summary>Every deployment of the group is out: breaker open, isolated, or cooling down after a 429.</summary>
    NoHealthyDeployment,

    /// <summary>The deployment cannot serve this API (for example embeddings on an Anthropic deployment).</summary>
    Unsupported,

    /// <summary>The upstream answered 2xx with something the gateway cannot relay (over the size limit).</summary>
    InvalidResponse,
}

internal static class FailureReasons
{
    /// <summary>Worth another attempt: the same request may succeed on another try or deployment.</summary>
    public static bool IsRetryable(this FailureReason reason) => reason is FailureReason.ServerError or FailureReason.RateLimited
        or FailureReason.RetryableStatus or FailureReason.Unreachable or FailureReason.Broken or FailureReason.Timeout
        or FailureReason.FirstTokenTimeout or FailureReason.IdleTimeout;

    /// <summary>Counts against the deployment's circuit breaker: the deployment, not the request, is at fault.</summary>
    public static bool IsDeploymentFault(this FailureReason reason) => reason.IsRetryable() && reason != FailureReason.RetryableStatus;

    /// <summary>The label on traces and metrics.</summary>
    public static string Label(this FailureReason reason) => reason switch
    {
        FailureReason.ServerError => "server_error",
        FailureReason.RateLimited => "rate_limited",
        FailureReason.RetryableStatus => "retryable_status",
        FailureReason.Unreachable => "unreachable",
        FailureReason.Broken => "broken",
        FailureReason.Timeout => "timeout",
        FailureReason.FirstTokenTimeout => "first_token_timeout",
        FailureReason.IdleTimeout => "idle_timeout",
        FailureReason.ContextWindow => "context_window",
        FailureReason.ContentPolicy => "content_policy",
        FailureReason.ClientError => "client_error",
        FailureReason.NoHealthyDeployment => "no_healthy_deployment",
        FailureReason.InvalidResponse => "invalid_response",
        _ => "unsupported",
    };

    /// <summary>
    /// Reads an upstream error: the status decides most cases; a 400 or 403 body is read for the
    /// vendors' context-window and content-policy codes and messages (OpenAI, Azure, Anthropic).
    /// </summary>
    public static FailureReason Classify(int status, ReadOnlySpan<byte> body)
    {
        switch (status)
        {
            case 429:
                return FailureReason.RateLimited;
            case 408 or 409:
                return FailureReason.RetryableStatus;
            case >= 500:
                return FailureReason.ServerError;
            case 400 or 403 or 413 or 422:
                var text = System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, 8192)]);
                if (Contains(text, "context_length_exceeded") || Contains(text, "maximum context length") || Contains(text, "prompt is too long")
                    || Contains(text, "exceed context limit") || Contains(text, "context window") || Contains(text, "too many tokens"))
                {
                    return FailureReason.ContextWindow;
                }

                if (Contains(text, "content_policy_violation") || Contains(text, "content_filter") || Contains(text, "content management policy")
                    || Contains(text, "safety system") || Contains(text, "responsible ai policy"))
                {
                    return FailureReason.ContentPolicy;
                }

                return FailureReason.ClientError;
            default:
                return FailureReason.ClientError;
        }
    }

    private static bool Contains(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// How one attempt ended. <see cref="Delivered"/> means the client has its answer (or has gone) and routing
/// stops; otherwise nothing reached the client and the failure may be retried or fall back.
/// </summary>
internal sealed class AttemptResult
{
    /// <summary>The client got a complete answer (any status the upstream chose to give).</summary>
    public static readonly AttemptResult Answered = new() { Delivered = true };

    /// <summary>The client closed the connection; nothing more is sent.</summary>
    public static readonly AttemptResult ClientGone = new() { Delivered = true };

    public bool Delivered { get; private init; }

    /// <summary>Why it failed; null for an attempt that did not fail.</summary>
    public FailureReason? Reason { get; private init; }

    /// <summary>The status the client would get if this is the last failure.</summary>
    public int Status { get; private init; }

    public string Type { get; private init; } = "";

    /// <summary>The <c>code</c> of the error object, when the gateway writes it.</summary>
    public string? Code { get; private init; }

    public string Message { get; private init; } = "";

    /// <summary>The upstream's error body, relayed (translated when needed) if this is the last failure.</summary>
    public byte[]? Body { get; private init; }

    public IExchange? Exchange { get; private init; }

    /// <summary>The upstream's <c>Retry-After</c> (or <c>retry-after-ms</c>).</summary>
    public TimeSpan? RetryAfter { get; private init; }

    public bool Retryable => Reason is { } reason && reason.IsRetryable();

    /// <summary>For the breaker: true when the deployment failed, including a stream that broke after it reached the client.</summary>
    public bool DeploymentFault => Reason is { } reason && reason.IsDeploymentFault();

    public static AttemptResult Failed(FailureReason reason, int status, string type, string message) =>
        new() { Reason = reason, Status = status, Type = type, Message = message };

    /// <summary>Every deployment of the group is out; <paramref name="retryAfter"/> is when the first may be back.</summary>
    public static AttemptResult NoHealthy(string message, TimeSpan? retryAfter) =>
        new() { Reason = FailureReason.NoHealthyDeployment, Status = 503, Type = "service_unavailable", Code = "no_healthy_deployment", Message = message, RetryAfter = retryAfter };

    public static AttemptResult Upstream(FailureReason reason, int status, string message, byte[] body, IExchange exchange, TimeSpan? retryAfter) =>
        new() { Reason = reason, Status = status, Type = Gateway.GatewayErrors.OpenAIType(status), Message = message, Body = body, Exchange = exchange, RetryAfter = retryAfter };

    /// <summary>A stream that failed after the client got its first bytes: delivered (with an error event), yet a fault of the deployment.</summary>
    public static AttemptResult BrokenAfterStart(FailureReason reason) => new() { Delivered = true, Reason = reason, Status = 502, Type = "upstream_stream_error" };
}
