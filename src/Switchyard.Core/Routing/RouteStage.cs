using System.Globalization;
using Microsoft.AspNetCore.Http;
using Polly;
using Switchyard.Accounting;
using Switchyard.Buffers;
using Switchyard.Exchanges;
using Switchyard.Gateway;

namespace Switchyard.Routing;

/// <summary>
/// The last stage: chooses deployments of the model group by its strategy, retries what may be
/// retried, then falls back to other groups, and hands each try to <see cref="UpstreamAttempt"/>.
/// </summary>
/// <remarks>
/// <code>
///  group ─► pick an available deployment not yet tried ─► attempt ─► answered ─► done
///    ▲           │ none left: same deployment after backoff / Retry-After     │ failed before any byte
///    │           └──────────────── retry (budget, max_retries) ◄──────────────┘
///    └── next fallback group (context-window, content-policy or general list) ◄── retries exhausted
/// </code>
/// Only failures before the client received a byte are retried: LLM calls are POSTs, safe to repeat
/// while nothing was answered, never after.
/// </remarks>
internal sealed class RouteStage(TimeProvider time, Hosting.RandomSource random, UpstreamAttempt attempt, ModelCatalog catalog, RoutingMetrics metrics) : CallStage
{
    private readonly RouteRequest _defaults = RouteRequest.Default(catalog);

    public override async ValueTask InvokeAsync(CallContext call, CallDelegate next)
    {
        var group = call.Group!;
        if (!RouteRequest.TryRead(call, catalog, _defaults, time, out var request, out var error))
        {
            await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", error!).ConfigureAwait(false);
            return;
        }

        var result = await RunGroupAsync(call, group, request).ConfigureAwait(false);
        if (!result.Delivered && result.Reason is { } reason && !call.Aborted.IsCancellationRequested)
        {
            foreach (var fallback in request.Fallbacks(group, reason))
            {
                metrics.Fallback(group.Name, fallback.Name, reason.Label());
                result = await RunGroupAsync(call, fallback, request).ConfigureAwait(false);
                if (result.Delivered || call.Aborted.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        if (!result.Delivered && !call.ResponseStarted && !call.Aborted.IsCancellationRequested)
        {
            await WriteFailureAsync(call, result).ConfigureAwait(false);
        }
    }

    /// <summary>Tries one group: first pick, then up to its <c>max_retries</c> retries; the last failure when none answered.</summary>
    private async ValueTask<AttemptResult> RunGroupAsync(CallContext call, ModelGroup group, RouteRequest request)
    {
        var routing = group.Routing;
        var maxAttempts = 1 + routing.MaxRetries;
        var stream = call.Request.Stream;
        ulong tried = 0;
        var attempts = 0;
        AttemptResult? last = null;
        Deployment? lastDeployment = null;
        group.Budget.OnCall();
        while (attempts < maxAttempts)
        {
            var now = time.GetUtcNow();
            var available = DeploymentPicker.Available(group, now);
            var pick = DeploymentPicker.Pick(group, available & ~tried, stream, now, random);
            var wait = TimeSpan.Zero;
            if (pick is null)
            {
                if (attempts == 0)
                {
                    // Nothing to try: every deployment out (breaker, cool-down) or unable to serve this API.
                    return last ?? NoHealthyDeployment(group, now);
                }

                // Every available deployment was tried once: try one again after a backoff, or one that
                // asked for a pause (Retry-After) once the pause is over.
                var again = available != 0 ? available : DeploymentPicker.Admitted(group, now) & tried;
                pick = DeploymentPicker.Pick(group, again, stream, now, random);
                if (pick is null)
                {
                    return last ?? NoHealthyDeployment(group, now);
                }

                wait = Backoff(call, pick, routing, pick == lastDeployment ? last : null, now);
            }

            if (attempts > 0)
            {
                if (!group.Budget.TryRetry())
                {
                    metrics.RetryBudgetExhausted(group.Name);
                    return last!;
                }

                metrics.Retry(group.Name, last!.Reason!.Value.Label());
            }

            var left = request.TimeLeft(time);
            if (wait > routing.Options.MaxRetryWait || wait >= left)
            {
                return last!;
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, call.Aborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return AttemptResult.ClientGone;
                }

                left = request.TimeLeft(time);
            }

            tried |= 1UL << pick.Index;
            call.Deployment = pick;
            if (call.Api == ClientApi.CountTokens && !pick.Adapter.SpeaksAnthropic)
            {
                await CountTokensLocallyAsync(call, pick).ConfigureAwait(false);
                return AttemptResult.Answered;
            }

            if (ExchangeCatalog.For(call.Api, pick) is not { } exchange)
            {
                // Not an attempt: this deployment cannot serve the API; another of the group may.
                last ??= AttemptResult.Failed(FailureReason.Unsupported, 400, "invalid_request_error", $"Model '{group.Name}' is served by a {pick.Provider} deployment, which cannot answer {Describe(call.Api)}.");
                continue;
            }

            attempts++;
            AttemptResult result;
            var health = pick.Health;
            health.Enter();
            try
            {
                result = await health.Breaker.ExecuteAsync(
                    static (state, _) => state.Attempt.RunAsync(state.Call, state.Deployment, state.Exchange, state.Total, state.Call.Attempts.Count + 1, state.Waited),
                    new AttemptState(attempt, call, pick, exchange, Min(pick.Options.Timeout, left), wait),
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (ExecutionRejectedException)
            {
                // The breaker refused at the last moment (another call took the half-open probe).
                attempts--;
                continue;
            }
            finally
            {
                health.Leave();
            }

            metrics.Attempt(pick, result.Reason is { } failed ? failed.Label() : "ok");
            if (result.Delivered)
            {
                return result;
            }

            if (result.RetryAfter is { } retryAfter && result.Status is 429 or 503)
            {
                pick.Health.CoolDown(time.GetUtcNow() + retryAfter);
            }

            last = result;
            lastDeployment = pick;
            if (!result.Retryable)
            {
                return result;
            }
        }

        return last!;
    }

    /// <summary>What the attempt needs, passed through Polly without a closure.</summary>
    private readonly record struct AttemptState(UpstreamAttempt Attempt, CallContext Call, Deployment Deployment, IExchange Exchange, TimeSpan Total, TimeSpan Waited);

    /// <summary>
    /// Wait before retrying <paramref name="deployment"/>: full jitter over an exponential ceiling
    /// (base × 2^(tries − 1), capped), and never less than the <c>Retry-After</c> it gave.
    /// </summary>
    private TimeSpan Backoff(CallContext call, Deployment deployment, GroupRouting routing, AttemptResult? lastOnSame, DateTimeOffset now)
    {
        var tries = 0;
        foreach (var a in call.Attempts)
        {
            if (a.Deployment == deployment.Name)
            {
                tries++;
            }
        }

        var ceiling = Math.Min(routing.Options.RetryMaxDelay.TotalMilliseconds, routing.Options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, tries - 1)));
        var delay = TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
        if (lastOnSame?.RetryAfter is { } retryAfter && retryAfter > delay)
        {
            delay = retryAfter;
        }

        var cooldown = deployment.Health.CooldownUntil - now;
        return cooldown > delay ? cooldown : delay;
    }

    private AttemptResult NoHealthyDeployment(ModelGroup group, DateTimeOffset now)
    {
        var soonest = TimeSpan.MaxValue;
        foreach (var d in group.Deployments)
        {
            var back = d.Health.Breaker.State is BreakerState.Open ? d.Health.Breaker.OpenUntil - now : d.Health.CooldownUntil - now;
            if (back > TimeSpan.Zero && back < soonest)
            {
                soonest = back;
            }
        }

        var retryAfter = soonest == TimeSpan.MaxValue ? (TimeSpan?)null : soonest;
        return AttemptResult.NoHealthy($"Model '{group.Name}' has no healthy deployment right now: every one is cooling down after a rate limit, has an open circuit breaker, or failed its health checks.", retryAfter);
    }

    private static async Task WriteFailureAsync(CallContext call, AttemptResult failure)
    {
        var response = call.Http.Response;
        if (failure.RetryAfter is { } retryAfter && failure.Status is 429 or 503)
        {
            GatewayErrors.SetRetryAfter(response.Headers, retryAfter);
        }

        if (call.Deployment is { } deployment)
        {
            UpstreamAttempt.SetRouteHeaders(call, deployment, call.Attempts.Count);
        }

        if (failure.Body is not { } upstreamBody)
        {
            await GatewayErrors.WriteAsync(call, failure.Status, failure.Type, failure.Message, failure.Code).ConfigureAwait(false);
            return;
        }

        call.Fail(failure.Status, failure.Type, failure.Message);
        using var output = new PooledBufferWriter(upstreamBody.Length + 256);
        if (failure.Exchange is { } exchange)
        {
            exchange.WriteError(call, failure.Status, upstreamBody, output);
        }
        else
        {
            GatewayErrors.Write(output, call.Api, failure.Status, failure.Type, failure.Message);
        }

        await call.Response.SendAsync(failure.Status, output.WrittenMemory, Responses.AnswerOrigin.Error).ConfigureAwait(false);
    }

    private static async Task CountTokensLocallyAsync(CallContext call, Deployment deployment)
    {
        var tokens = PromptTokenEstimator.Estimate(call.Body.Span, deployment.Model);
        UpstreamAttempt.SetRouteHeaders(call, deployment, call.Attempts.Count + 1);
        call.Usage = new TokenUsage(tokens, 0);
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"input_tokens\":{tokens.ToString(CultureInfo.InvariantCulture)}}}");
        await call.Response.SendAsync(200, body, Responses.AnswerOrigin.Local).ConfigureAwait(false);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Describe(ClientApi api) => api switch
    {
        ClientApi.ChatCompletions => "/v1/chat/completions",
        ClientApi.Responses => "/v1/responses",
        ClientApi.Embeddings => "/v1/embeddings",
        ClientApi.Messages => "/v1/messages",
        _ => "/v1/messages/count_tokens",
    };
}
