namespace Switchyard.Routing;

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
