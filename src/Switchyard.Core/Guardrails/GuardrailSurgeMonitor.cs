using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Spend.Alerts;

namespace Switchyard.Guardrails;

/// <summary>
/// Every <c>guardrails.surge.window</c>, compares each guard's triggers in the last window with its usual
/// count per window over the trailing baseline, and sends an alert through the configured webhooks when it
/// is <c>factor</c> times above it (and at least <c>min_triggers</c>): "guardrail trigger surge: possible
/// attack, review logs". Each guard alerts at most once per <c>cooldown</c>.
/// </summary>
internal sealed partial class GuardrailSurgeMonitor(
    SwitchyardOptions options,
    IGuardrailReader reader,
    WebhookSender sender,
    TimeProvider time,
    ILogger<GuardrailSurgeMonitor> logger) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _lastAlert = new(StringComparer.Ordinal);

    private GuardrailSurgeOptions Surge => options.Guardrails.Surge;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Surge.Enabled || !options.Guardrails.Active(options.ModelGroups.Values))
        {
            return;
        }

        try
        {
            // A first check at start, so a surge under way when the process (re)starts is not a window late.
            while (true)
            {
                try
                {
                    foreach (var surge in await CheckAsync(stoppingToken).ConfigureAwait(false))
                    {
                        await SendAsync(surge, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.CheckFailed(logger, ex.GetType().Name, ex.Message);
                }

                await Task.Delay(Surge.Window, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The guards surging now that have not alerted within their cooldown; they count as alerted.</summary>
    internal async Task<IReadOnlyList<GuardrailSurge>> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var windowStart = now - Surge.Window;
        var current = Fired(await reader.TriggersAsync(windowStart, now, Surge.Window, Identity.Reach.Everything, cancellationToken).ConfigureAwait(false));
        var history = Fired(await reader.TriggersAsync(windowStart - Surge.Baseline, windowStart, Surge.Window, Identity.Reach.Everything, cancellationToken).ConfigureAwait(false));
        var windows = Surge.Baseline / Surge.Window;
        var surges = new List<GuardrailSurge>();
        foreach (var (guard, triggers) in current)
        {
            var usual = history.GetValueOrDefault(guard) / windows;
            if (triggers < Surge.MinTriggers || triggers < Surge.Factor * Math.Max(usual, 1)
                || (_lastAlert.TryGetValue(guard, out var last) && now - last < Surge.Cooldown))
            {
                continue;
            }

            _lastAlert[guard] = now;
            surges.Add(new GuardrailSurge(guard, triggers, usual, Surge.Window, now));
        }

        return surges;
    }

    private static Dictionary<string, long> Fired(IReadOnlyList<GuardrailBucket> buckets)
    {
        var fired = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var bucket in buckets)
        {
            fired[bucket.Guard] = fired.GetValueOrDefault(bucket.Guard) + bucket.Fired;
        }

        return fired;
    }

    private async Task SendAsync(GuardrailSurge surge, CancellationToken cancellationToken)
    {
        Log.Surge(logger, surge.Guard, surge.Triggers, surge.Baseline);
        foreach (var webhook in options.Alerts.Webhooks)
        {
            var result = await sender.SendAsync(webhook, Body(surge, webhook.Format), options.Alerts.MaxAttempts, cancellationToken).ConfigureAwait(false);
            if (!result.Delivered)
            {
                Log.DeliveryFailed(logger, surge.Guard, result.Target, result.Error);
            }
        }
    }

    /// <summary>The webhook body: Slack's <c>{"text"}</c>, or a JSON event with the figures.</summary>
    internal static byte[] Body(GuardrailSurge surge, WebhookFormat format)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            if (format == WebhookFormat.Slack)
            {
                json.WriteString("text", surge.Text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal));
            }
            else
            {
                json.WriteString("type", "guardrail.trigger_surge");
                json.WriteString("guard", surge.Guard);
                json.WriteNumber("triggers", surge.Triggers);
                json.WriteNumber("usual_per_window", Math.Round(surge.Baseline, 2));
                json.WriteNumber("window_seconds", surge.Window.TotalSeconds);
                json.WriteString("fired_at", surge.At.UtcDateTime);
                json.WriteString("dashboard", "/ui/guardrails");
                json.WriteString("text", surge.Text);
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Guardrail trigger surge: '{Guard}' fired {Triggers} times in the window, {Usual} usually")]
        public static partial void Surge(ILogger logger, string guard, long triggers, double usual);

        [LoggerMessage(2, LogLevel.Warning, "Guardrail surge alert for '{Guard}' not delivered to {Target}: {Error}")]
        public static partial void DeliveryFailed(ILogger logger, string guard, string target, string? error);

        [LoggerMessage(3, LogLevel.Warning, "Guardrail surge check failed: {Type}: {Message}")]
        public static partial void CheckFailed(ILogger logger, string type, string message);
    }
}
