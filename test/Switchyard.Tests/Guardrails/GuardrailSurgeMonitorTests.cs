using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Configuration;
using Switchyard.Guardrails;
using Switchyard.Recording;
using Switchyard.Spend.Alerts;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Tracing.TraceSeed;

namespace Switchyard.Tests.Guardrails;

/// <summary>The surge alert on a fake clock: a guard far above its trailing rate alerts once per cooldown, through the webhooks.</summary>
public sealed class GuardrailSurgeMonitorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PreparedCall Fired(int n, DateTimeOffset at, string guard)
    {
        var report = new GuardrailReport();
        report.Add(new GuardVerdict(guard, GuardType.Injection, GuardDirection.Input) { Fired = true, Action = "flag" });
        return Prepared(Call(n, at - T0) with { Guardrails = report });
    }

    [Fact]
    public async Task A_guard_far_above_its_usual_rate_alerts_once_through_the_webhooks()
    {
        var now = T0.AddDays(2);
        var database = SqliteTestDatabase.Create();
        var calls = new List<PreparedCall>();
        var n = 0;

        // injection: quiet for a day, then 25 in the last ten minutes. pii: 10 every ten minutes all day, 30 now.
        for (var i = 0; i < 25; i++)
        {
            calls.Add(Fired(++n, now.AddMinutes(-9).AddSeconds(i), "injection"));
        }

        for (var w = 1; w <= 144; w++)
        {
            for (var i = 0; i < 10; i++)
            {
                calls.Add(Fired(++n, now.AddMinutes(-10 * w - 5).AddSeconds(i), "pii"));
            }
        }

        for (var i = 0; i < 30; i++)
        {
            calls.Add(Fired(++n, now.AddMinutes(-5).AddSeconds(i), "pii"));
        }

        await WriteAsync(new SqliteCallRecordStore(database), Ct, [.. calls]);
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) => UpstreamReplies.Json(http, "{}");
        var options = new SwitchyardOptions();
        options.Guardrails = GuardrailOptions.Default();
        options.Alerts.AllowPrivateTargets = true;
        options.Alerts.Webhooks.Add(new WebhookOptions { Url = new Uri(receiver.BaseUrl + "/hook"), Format = WebhookFormat.Json });
        var clock = new FakeTimeProvider(now);
        using var sender = new WebhookSender(options.Alerts, clock, Switchyard.Hosting.RandomSource.Seeded(1), NullLogger<WebhookSender>.Instance);
        using var monitor = new GuardrailSurgeMonitor(options, new SqliteGuardrailReader(database), sender, clock, NullLogger<GuardrailSurgeMonitor>.Instance);

        await monitor.StartAsync(Ct);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (receiver.Received.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        var alert = JsonNode.Parse(Assert.Single(receiver.Received).Body)!;
        Assert.Equal("guardrail.trigger_surge", alert["type"]!.GetValue<string>());
        Assert.Equal(("injection", 25), (alert["guard"]!.GetValue<string>(), alert["triggers"]!.GetValue<int>()));
        Assert.Contains("possible attack", alert["text"]!.GetValue<string>(), StringComparison.Ordinal);

        // Within the cooldown the same surge stays quiet; pii at 3 times its usual rate never alerted.
        Assert.Empty(await monitor.CheckAsync(Ct));
        await monitor.StopAsync(Ct);
    }

    [Fact]
    public void The_slack_body_is_plain_text()
    {
        var body = GuardrailSurgeMonitor.Body(new GuardrailSurge("pii<x>", 40, 2, TimeSpan.FromMinutes(10), T0), WebhookFormat.Slack);

        var text = JsonNode.Parse(body)!["text"]!.GetValue<string>();
        Assert.Contains("'pii&lt;x&gt;' fired 40 times in the last 10 minutes, against 2 usually", text, StringComparison.Ordinal);
    }
}
