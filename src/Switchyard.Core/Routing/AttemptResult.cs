using Switchyard.Exchanges;

namespace Switchyard.Routing;

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
