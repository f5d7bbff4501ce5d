using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Providers;

namespace Switchyard.Routing;

/// <summary>
/// Optional active health checks (<c>routing.health_checks.interval</c>): every interval, a one-token
/// call to each deployment through its own adapter, as a real client would make it. After
/// <c>failures_to_isolate</c> failures in a row the deployment's breaker is isolated (out of balancing);
/// the first success closes it again. Each check costs one input and one output token on paid providers.
/// </summary>
internal sealed partial class HealthChecks(ModelCatalog catalog, SwitchyardOptions options, TimeProvider time, ILogger<HealthChecks> logger) : BackgroundService
{
    private readonly HealthCheckOptions _options = options.Routing.HealthChecks;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var deployments = catalog.Groups.SelectMany(g => g.Deployments).ToArray();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.WhenAll(deployments.Select(d => CheckAsync(d, stoppingToken))).ConfigureAwait(false);
                await Task.Delay(_options.Interval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One check of one deployment; updates its health and breaker.</summary>
    internal async Task CheckAsync(Deployment deployment, CancellationToken stoppingToken)
    {
        var error = await ProbeAsync(deployment, stoppingToken).ConfigureAwait(false);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var health = deployment.Health;
        health.LastCheck = new HealthCheckResult(time.GetUtcNow(), error);
        if (error is null)
        {
            var wasIsolated = health.Breaker.State == BreakerState.Isolated;
            health.ConsecutiveCheckFailures = 0;
            if (wasIsolated)
            {
                await health.Breaker.CloseAsync().ConfigureAwait(false);
                Log.Recovered(logger, deployment.Name);
            }

            return;
        }

        health.ConsecutiveCheckFailures++;
        if (health.ConsecutiveCheckFailures >= _options.FailuresToIsolate && health.Breaker.State != BreakerState.Isolated)
        {
            await health.Breaker.IsolateAsync().ConfigureAwait(false);
            Log.Isolated(logger, deployment.Name, health.ConsecutiveCheckFailures, error);
        }
    }

    /// <summary>Null when the deployment answered 2xx within the timeout; else what went wrong.</summary>
    private async Task<string?> ProbeAsync(Deployment deployment, CancellationToken stoppingToken)
    {
        var (format, body) = deployment.Adapter.SpeaksAnthropic
            ? (WireFormat.AnthropicMessages, $$"""{"model":{{Json(deployment.Model)}},"max_tokens":1,"messages":[{"role":"user","content":"ping"}]}""")
            : (WireFormat.OpenAIChat, $$"""{"model":{{Json(deployment.Model)}},"max_tokens":1,"messages":[{"role":"user","content":"ping"}]}""");
        using var cts = new CancellationTokenSource(_options.Timeout, time);
        using var link = stoppingToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), cts);
        try
        {
            await using var response = await deployment.Adapter.SendAsync(deployment, new UpstreamRequest { Format = format, Body = Encoding.UTF8.GetBytes(body) }, cts.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            while (await response.Body.ReadAsync(buffer, cts.Token).ConfigureAwait(false) > 0)
            {
            }

            return response.IsSuccess ? null : $"HTTP {response.StatusCode}";
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return $"no answer within {_options.Timeout.TotalSeconds:0.###} s";
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // Shown on /health/ready and logged: .NET may quote the upstream's reply, credentials included.
            return deployment.Scrubber.Scrub(ex.Message);
        }
        catch (OperationCanceledException)
        {
            return "stopping";
        }
    }

    private static string Json(string value) => "\"" + System.Text.Json.JsonEncodedText.Encode(value).ToString() + "\"";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Deployment {Deployment} failed {Failures} health checks in a row and is out of balancing: {Error}")]
        public static partial void Isolated(ILogger logger, string deployment, int failures, string error);

        [LoggerMessage(2, LogLevel.Information, "Deployment {Deployment} passed its health check and is back in balancing")]
        public static partial void Recovered(ILogger logger, string deployment);
    }
}
