using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Switchyard.Configuration;

namespace Switchyard.Spend.Alerts;

/// <summary>
/// POSTs bodies to webhooks with retries (Polly): 5xx, 429, 408, timeouts and network errors are retried
/// with exponential backoff and jitter (at least <c>Retry-After</c> when the receiver sends one), other
/// answers are final. Connections go through <see cref="WebhookConnector"/>, which applies the URL
/// policy to the address actually connected to. Nothing here logs a full URL or a header value.
/// </summary>
internal sealed partial class WebhookSender : IDisposable
{
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromMinutes(5);

    private readonly HttpClient _client;
    private readonly AlertOptions _options;
    private readonly TimeProvider _time;
    private readonly Hosting.RandomSource _random;
    private readonly ILogger<WebhookSender> _logger;

    public WebhookSender(AlertOptions options, TimeProvider time, Hosting.RandomSource random, ILogger<WebhookSender> logger)
    {
        _options = options;
        _time = time;
        _random = random;
        _logger = logger;
        _client = new HttpClient(new SocketsHttpHandler
        {
            // A proxy would be connected to instead of the target, bypassing the address check; a
            // redirect could lead anywhere. Neither has a place in a webhook call.
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = new WebhookConnector(options.AllowPrivateTargets).ConnectAsync,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Switchyard-Alerts/1.0");
    }

    /// <summary>
    /// Sends <paramref name="body"/> to one webhook, up to <paramref name="maxAttempts"/> times. Never
    /// throws: cancellation ends it with a not-delivered result that counts the attempts made.
    /// </summary>
    public async Task<WebhookResult> SendAsync(WebhookOptions webhook, byte[] body, int maxAttempts, CancellationToken cancellationToken)
    {
        var target = WebhookUrlPolicy.Display(webhook.Url);
        var attempts = 0;
        try
        {
            return await SendAsync(webhook, target, body, maxAttempts, () => attempts++, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new WebhookResult(target, false, null, attempts, "stopped before delivery completed");
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<WebhookResult> SendAsync(WebhookOptions webhook, string target, byte[] body, int maxAttempts, Action attempted, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var outcome = await Retries(maxAttempts, target).ExecuteAsync(
            async token =>
            {
                attempts++;
                attempted();
                return await AttemptAsync(webhook, target, body, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        if (!outcome.Delivered)
        {
            Log.Failed(_logger, target, attempts, outcome.Error);
        }

        return new WebhookResult(target, outcome.Delivered, outcome.Status, attempts, outcome.Error);
    }

    /// <summary>Polly's retry over the attempts: retryable failures wait <see cref="Backoff"/> on the injected clock, up to <paramref name="maxAttempts"/> in all.</summary>
    private ResiliencePipeline<AttemptOutcome> Retries(int maxAttempts, string target) => maxAttempts <= 1
        ? ResiliencePipeline<AttemptOutcome>.Empty
        : new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<AttemptOutcome>
            {
                MaxRetryAttempts = maxAttempts - 1,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Delivered: false, Retryable: true }),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Backoff(args.AttemptNumber + 1, args.Outcome.Result?.RetryAfter)),
                OnRetry = args =>
                {
                    Log.Retrying(_logger, target, args.AttemptNumber + 1, args.Outcome.Result?.Error);
                    return default;
                },
            })
            .Build();

    /// <summary>One POST: delivered, or why not and whether trying again could help. Never throws but for the caller's cancellation.</summary>
    private async Task<AttemptOutcome> AttemptAsync(WebhookOptions webhook, string target, byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
            foreach (var (name, value) in webhook.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new AttemptOutcome(true, status, null, Retryable: false, RetryAfter: null)
                : new AttemptOutcome(false, status, $"HTTP {status}", Retryable: status is >= 500 or 429 or 408, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(false, null, $"no answer within {_options.Timeout.TotalSeconds:0.###}s", Retryable: true, RetryAfter: null);
        }
        catch (HttpRequestException ex) when (Find<WebhookTargetRefusedException>(ex) is { } refused)
        {
            return new AttemptOutcome(false, null, refused.Message, Retryable: false, RetryAfter: null);
        }
        catch (HttpRequestException ex)
        {
            return new AttemptOutcome(false, null, Describe(ex, webhook.Url, target), Retryable: true, RetryAfter: null);
        }
    }

    /// <summary>Exponential from <see cref="AlertOptions.RetryDelay"/>, half of it random, so many gateways do not retry in step.</summary>
    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        // In seconds as a double: a large retry_delay doubled a few times would overflow a TimeSpan.
        var exponential = Math.Min(_options.RetryDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 20)), s_maxDelay.TotalSeconds);
        var delay = TimeSpan.FromSeconds(exponential * (0.5 + (0.5 * _random.NextDouble())));
        if (retryAfter > delay)
        {
            delay = retryAfter.Value;
        }

        return delay < s_maxDelay ? delay : s_maxDelay;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow(),
        _ => null,
    };

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The kind of failure and the innermost message, with the URL (which may hold a secret) cut to its host.</summary>
    private static string Describe(HttpRequestException exception, Uri url, string target)
    {
        Exception innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var text = $"{exception.HttpRequestError}: {innermost.Message}";
        return text.Replace(url.OriginalString, target, StringComparison.Ordinal).Replace(url.AbsoluteUri, target, StringComparison.Ordinal);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Webhook {Target}: attempt {Attempt} failed ({Error}); retrying")]
        public static partial void Retrying(ILogger logger, string target, int attempt, string? error);

        [LoggerMessage(2, LogLevel.Warning, "Webhook {Target}: not delivered after {Attempts} attempt(s): {Error}")]
        public static partial void Failed(ILogger logger, string target, int attempts, string? error);
    }
}
