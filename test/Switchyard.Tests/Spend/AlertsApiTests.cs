using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Limits;
using Switchyard.Spend;
using Switchyard.Spend.Alerts;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Tracing.TracesApiTests;

namespace Switchyard.Tests.Spend;

public sealed class AlertsApiTests
{
    private const long Usd = 1_000_000_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CrossedThresholds_AreDeliveredAsJson_AndListedNewestFirst()
    {
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) => Task.CompletedTask;
        await using var gateway = await TestGateway.StartAsync(Alerts(receiver.BaseUrl + "/hook", WebhookFormat.Json));
        var window = BudgetWindow.Containing(BudgetWindowKind.Monthly, DateTimeOffset.UtcNow, TimeZoneInfo.Utc);

        Observe(gateway, SubjectKind.Key, "key-1", 8 * Usd, window, BudgetMode.Hard);
        var alerts = await WaitForAlertsAsync(gateway, "", 2, "delivered");

        Assert.Equal(2, receiver.Received.Count);
        var body = receiver.Received.Select(r => r.Json).Single(j => j["threshold"]!.GetValue<double>() == 0.8);
        Assert.Equal("budget.threshold_crossed", body["event"]!.GetValue<string>());
        Assert.Equal("key", body["subject"]!["kind"]!.GetValue<string>());
        Assert.Equal("key-1", body["subject"]!["id"]!.GetValue<string>());
        Assert.Equal("10", body["budget_usd"]!.GetValue<string>());
        Assert.Equal("8", body["spent_usd"]!.GetValue<string>());
        Assert.Equal("monthly", body["window"]!["kind"]!.GetValue<string>());
        Assert.Equal(window.Start.UtcDateTime, body["window"]!["start"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal(window.End!.Value.UtcDateTime, body["window"]!["end"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("hard", body["mode"]!.GetValue<string>());
        Assert.EndsWith("Z", body["fired_at"]!.GetValue<string>());
        Assert.Contains("key 'key-1' has spent $8.00 of its $10.00 monthly budget (80% threshold", body["text"]!.GetValue<string>());
        Assert.Equal("application/json; charset=utf-8", receiver.Last.Headers["Content-Type"]);

        // Newest first: the 0.8 alert was fired after the 0.5 one.
        Assert.Equal([0.8, 0.5], alerts.Select(a => a!["threshold"]!.GetValue<double>()));
        var listed = alerts[0]!;
        Assert.Equal(body["id"]!.GetValue<long>(), listed["id"]!.GetValue<long>());
        Assert.Equal("key-1", listed["subject"]!["id"]!.GetValue<string>());
        Assert.Equal("8", listed["spent_usd"]!.GetValue<string>());
        Assert.Equal(1, listed["delivery"]!["attempts"]!.GetValue<int>());
        Assert.Null(listed["delivery"]!["last_error"]);
        Assert.NotNull(listed["delivery"]!["delivered_at"]);
    }

    [Fact]
    public async Task Delivery_IsRetriedOn500_ThenSucceeds()
    {
        await using var receiver = await FakeUpstream.StartAsync();
        var calls = 0;
        receiver.Handler = (http, _) =>
        {
            http.Response.StatusCode = Interlocked.Increment(ref calls) == 1 ? 500 : 200;
            return Task.CompletedTask;
        };
        await using var gateway = await TestGateway.StartAsync(Alerts(receiver.BaseUrl, WebhookFormat.Json));

        Observe(gateway, SubjectKind.Team, "t1", 5 * Usd, thresholds: [0.5]);
        var alert = Assert.Single(await WaitForAlertsAsync(gateway, "", 1, "delivered"))!;

        Assert.Equal(2, alert["delivery"]!["attempts"]!.GetValue<int>());
        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(receiver.Received.First().Body, receiver.Last.Body);
    }

    [Fact]
    public async Task SlackFormat_IsATextOneLiner()
    {
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) => http.Response.WriteAsync("ok");
        await using var gateway = await TestGateway.StartAsync(Alerts(receiver.BaseUrl + "/services/T0/B0/secret", WebhookFormat.Slack));

        Observe(gateway, SubjectKind.User, "bob<admin>&co", 10 * Usd, thresholds: [1.0]);
        await WaitForAlertsAsync(gateway, "", 1, "delivered");

        var body = receiver.Last.Json.AsObject();
        Assert.Equal(["text"], body.Select(p => p.Key));
        var text = body["text"]!.GetValue<string>();
        Assert.StartsWith("Switchyard: user 'bob&lt;admin&gt;&amp;co' has spent $10.00 of its $10.00 daily budget (100% threshold; soft budget; window from ", text);
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public async Task FailedDelivery_IsRecorded_WithoutTheWebhookPath()
    {
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) =>
        {
            http.Response.StatusCode = 403;
            return Task.CompletedTask;
        };
        await using var gateway = await TestGateway.StartAsync(Alerts(receiver.BaseUrl + "/secret-path", WebhookFormat.Json));

        Observe(gateway, SubjectKind.Key, "k", 10 * Usd, thresholds: [1.0]);
        var alert = Assert.Single(await WaitForAlertsAsync(gateway, "", 1, "failed"))!;

        Assert.Equal($"{receiver.BaseUrl}: HTTP 403", alert["delivery"]!["last_error"]!.GetValue<string>());
        Assert.Null(alert["delivery"]!["delivered_at"]);
    }

    [Fact]
    public async Task WithoutWebhooks_AlertsAreOnlyListed()
    {
        await using var gateway = await TestGateway.StartAsync();

        Observe(gateway, SubjectKind.Global, "*", 10 * Usd, thresholds: [1.0]);

        var alert = Assert.Single(await WaitForAlertsAsync(gateway, "", 1, "none"))!;
        Assert.Equal("global", alert["subject"]!["kind"]!.GetValue<string>());
        Assert.Equal(0, alert["delivery"]!["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Filters_SelectBySubjectTimeAndLimit()
    {
        await using var gateway = await TestGateway.StartAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        Observe(gateway, SubjectKind.Key, "a", 10 * Usd);
        Observe(gateway, SubjectKind.Key, "b", 10 * Usd);
        Observe(gateway, SubjectKind.Team, "a", 5 * Usd);
        await WaitForAlertsAsync(gateway, "", 7, "none");

        Assert.Equal(3, (await ListAsync(gateway, "?subject_kind=key&subject_id=a")).Count);
        Assert.Equal(6, (await ListAsync(gateway, "?subject_kind=key")).Count);
        Assert.Equal(4, (await ListAsync(gateway, "?subject_id=a")).Count);
        Assert.Single(await ListAsync(gateway, "?subject_kind=team"));
        Assert.Equal(2, (await ListAsync(gateway, "?limit=2")).Count);
        Assert.Equal(7, (await ListAsync(gateway, $"?from={before.ToUnixTimeSeconds()}")).Count);
        Assert.Empty(await ListAsync(gateway, $"?to={Uri.EscapeDataString(before.ToString("O"))}"));
        Assert.Empty(await ListAsync(gateway, $"?from={DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds()}"));
    }

    [Theory]
    [InlineData("?subject_kind=robot", "subject_kind")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?limit=-1", "limit")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?to=12:99", "to")]
    public async Task BadQuery_Returns400_InTheErrorShape(string query, string parameter)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await Admin(gateway, HttpMethod.Get, "/api/alerts" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.StartsWith(parameter + ":", error["message"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/api/alerts")]
    [InlineData("POST", "/api/alerts/test")]
    public async Task WithoutTheAdminKey_Returns401(string method, string path)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("authentication_error", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restart_DoesNotFireAgainInTheSameWindow()
    {
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) => Task.CompletedTask;
        var first = await TestGateway.StartAsync(Alerts(receiver.BaseUrl, WebhookFormat.Json));
        Observe(first, SubjectKind.Key, "k", 8 * Usd);
        await WaitForAlertsAsync(first, "", 2, "delivered");
        await first.StopAsync();

        await using var second = await TestGateway.StartAsync(o =>
        {
            Alerts(receiver.BaseUrl, WebhookFormat.Json)(o);
            o.Server.DataDirectory = first.DataDirectory;
        });
        Observe(second, SubjectKind.Key, "k", 9 * Usd);
        Observe(second, SubjectKind.Key, "k", 10 * Usd);
        var alerts = await WaitForAlertsAsync(second, "", 3, "delivered");

        Assert.Equal([1.0, 0.8, 0.5], alerts.Select(a => a!["threshold"]!.GetValue<double>()));
        Assert.Equal(3, receiver.Received.Count);
        // Known at start, not only refused by the store: the second process fired one alert.
        Assert.Equal(1, second.Services.GetRequiredService<SpendAlerts>().Fired);
        await first.DisposeAsync();
    }

    [Fact]
    public async Task AlertLeftPendingByAStop_IsDeliveredAtTheNextStart()
    {
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) =>
        {
            http.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        var first = await TestGateway.StartAsync(o =>
        {
            Alerts(receiver.BaseUrl, WebhookFormat.Json)(o);
            o.Alerts.RetryDelay = TimeSpan.FromMinutes(10);
        });
        Observe(first, SubjectKind.Key, "k", 10 * Usd, thresholds: [1.0]);
        await WaitForAlertsAsync(first, "", 1, "pending");
        while (receiver.Received.IsEmpty)
        {
            await Task.Delay(10, Ct);
        }

        await first.StopAsync(); // in the middle of the backoff
        receiver.Handler = (http, _) => Task.CompletedTask;
        await using var second = await TestGateway.StartAsync(o =>
        {
            Alerts(receiver.BaseUrl, WebhookFormat.Json)(o);
            o.Server.DataDirectory = first.DataDirectory;
        });

        var alert = Assert.Single(await WaitForAlertsAsync(second, "", 1, "delivered"))!;
        Assert.Equal(2, alert["delivery"]!["attempts"]!.GetValue<int>());
        Assert.Equal(2, receiver.Received.Count);
        await first.DisposeAsync();
    }

    [Fact]
    public async Task TestEndpoint_PostsToEveryWebhook_AndReportsEach()
    {
        await using var good = await FakeUpstream.StartAsync();
        good.Handler = (http, _) => Task.CompletedTask;
        await using var bad = await FakeUpstream.StartAsync();
        bad.Handler = (http, _) =>
        {
            http.Response.StatusCode = 500;
            return Task.CompletedTask;
        };
        await using var gateway = await TestGateway.StartAsync(o =>
        {
            Alerts(good.BaseUrl + "/json-hook", WebhookFormat.Json)(o);
            o.Alerts.Webhooks.Add(new WebhookOptions { Url = new Uri(bad.BaseUrl + "/services/secret"), Format = WebhookFormat.Slack });
        });

        using var response = await Admin(gateway, HttpMethod.Post, "/api/alerts/test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("secret", text);
        var results = JsonNode.Parse(text)!["results"]!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal((0, good.BaseUrl, "json", true, 200), (results[0]!["webhook"]!.GetValue<int>(), results[0]!["target"]!.GetValue<string>(), results[0]!["format"]!.GetValue<string>(), results[0]!["ok"]!.GetValue<bool>(), results[0]!["status"]!.GetValue<int>()));
        Assert.Equal((1, bad.BaseUrl, "slack", false, "HTTP 500"), (results[1]!["webhook"]!.GetValue<int>(), results[1]!["target"]!.GetValue<string>(), results[1]!["format"]!.GetValue<string>(), results[1]!["ok"]!.GetValue<bool>(), results[1]!["error"]!.GetValue<string>()));
        Assert.Single(bad.Received); // one attempt: the test answers promptly
        Assert.Equal("switchyard.test", good.Last.Json["event"]!.GetValue<string>());
        Assert.Contains("test message", bad.Last.Json["text"]!.GetValue<string>());
        Assert.Empty(await ListAsync(gateway, ""));
    }

    private static Action<SwitchyardOptions> Alerts(string url, WebhookFormat format) => o =>
    {
        o.Alerts.AllowPrivateTargets = true;
        o.Alerts.RetryDelay = TimeSpan.FromMilliseconds(10);
        o.Alerts.Webhooks.Add(new WebhookOptions { Url = new Uri(url), Format = format });
    };

    private static void Observe(TestGateway gateway, SubjectKind kind, string subject, long spent, BudgetWindow? window = null, BudgetMode mode = BudgetMode.Soft, double[]? thresholds = null)
    {
        var alerts = gateway.Services.GetRequiredService<ISpendAlerts>();
        var budgetWindow = window ?? BudgetWindow.Containing(BudgetWindowKind.Daily, DateTimeOffset.UtcNow, TimeZoneInfo.Utc);
        var budget = new Budget(10 * Usd, budgetWindow.Kind, mode, thresholds ?? [0.5, 0.8, 1.0]);
        alerts.Observe(new BudgetObservation(kind, subject, budget, budgetWindow, spent));
    }

    private static async Task<JsonArray> ListAsync(TestGateway gateway, string query) =>
        (await GetJsonAsync(gateway, "/api/alerts" + query))["data"]!.AsArray();

    /// <summary>Polls until <paramref name="count"/> alerts are listed and none is in another delivery status.</summary>
    private static async Task<JsonArray> WaitForAlertsAsync(TestGateway gateway, string query, int count, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var alerts = await ListAsync(gateway, query);
            if (alerts.Count == count && alerts.All(a => a!["delivery"]!["status"]!.GetValue<string>() == status))
            {
                return alerts;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} alerts '{status}', got: {alerts.ToJsonString()}");
            }

            await Task.Delay(20, Ct);
        }
    }
}
