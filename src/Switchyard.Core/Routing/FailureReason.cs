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
