using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Spend;

/// <summary>Real calls spend real money on a key's budget; crossing thresholds posts to a webhook once each.</summary>
public sealed class BudgetAlertsEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Calls_that_cross_budget_thresholds_fire_each_alert_once()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, """{"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1000,"total_tokens":1005}}""");
        await using var receiver = await FakeUpstream.StartAsync();
        var posts = new ConcurrentQueue<JsonNode>();
        receiver.Handler = (http, received) =>
        {
            posts.Enqueue(received.Json);
            http.Response.StatusCode = 204;
            return Task.CompletedTask;
        };

        await using var gateway = await TestGateway.StartAsync(o =>
        {
            TestGateway.Upstream("priced", "openai", upstream, d => d.Model = "gpt-4o")(o);
            o.Alerts.AllowPrivateTargets = true;
            o.Alerts.Webhooks.Add(new WebhookOptions { Url = new Uri(receiver.BaseUrl + "/hook"), Format = WebhookFormat.Json });
        }, anonymous: false);

        // $0.0100125 a call against a $0.03 soft budget: 1 call = 33 %, 2 = 67 % (crosses 50 %), 3 = 100.1 % (crosses 100 %), 4 = 133 %.
        var (id, secret) = await gateway.CreateKeyAsync("""{"name":"alerting","budget":{"max_usd":0.03,"mode":"soft","alert_thresholds":[0.5,1]}}""");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(secret, "priced", maxTokens: 1000)).StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (posts.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        await Task.Delay(300, Ct); // Room for a duplicate to show up, if there were one.
        var alerts = posts.OrderBy(p => p["threshold"]!.GetValue<double>()).ToList();
        Assert.Equal(2, alerts.Count);
        Assert.Equal("budget.threshold_crossed", alerts[0]["event"]!.GetValue<string>());
        Assert.Equal(id, alerts[0]["subject"]!["id"]!.GetValue<string>());
        Assert.Equal(0.5, alerts[0]["threshold"]!.GetValue<double>());
        Assert.Equal("0.020025", alerts[0]["spent_usd"]!.GetValue<string>());
        Assert.Equal(1.0, alerts[1]["threshold"]!.GetValue<double>());
        Assert.Equal("0.0300375", alerts[1]["spent_usd"]!.GetValue<string>());

        var listed = (await gateway.SendAsync(HttpMethod.Get, $"/api/alerts?subject_kind=key&subject_id={id}")).Body!["data"]!.AsArray();
        Assert.Equal(2, listed.Count);
    }
}
