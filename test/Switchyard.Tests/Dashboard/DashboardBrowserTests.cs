using System.Net;
using System.Text;
using Microsoft.Playwright;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>The dashboard in a real browser against a real gateway whose calls produce the data shown.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_in_overview_filter_drill_into_a_trace_and_give_feedback()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream, d => d.Model = "gpt-4o"));
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent($$"""{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"question {{i}}"}]}""", Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await RecordedCalls.WaitForCountAsync(gateway, 5, Ct);
        var page = await browser.NewPageAsync();

        // Every page asks for a session first.
        await page.GotoAsync(gateway.BaseUrl + "/ui");
        Assert.Contains("/ui/signin", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#key", "not-a-key");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("not valid");
        await page.FillAsync("#key", TestGateway.AdminSecret);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(gateway.BaseUrl + "/ui");

        // Overview: figures from the calls just made, and real charts drawn.
        await Assertions.Expect(page.Locator("[data-kpi=Requests] .kpi-value")).ToHaveTextAsync("5");
        await Assertions.Expect(page.Locator("[data-kpi='Error rate'] .kpi-value")).ToHaveTextAsync("0 %");
        Assert.Equal(7, await page.Locator("canvas[data-chart]").CountAsync());
        await ChartsDrawnAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c) !== undefined && c.width > 0)"));
        var drawn = await page.EvaluateAsync<double>("() => Chart.getChart(document.querySelector('canvas[data-chart]')).data.datasets[0].data.reduce((a, b) => a + (b || 0), 0)");
        Assert.Equal(5, drawn);
        await BrowserFixture.ShotAsync(page, "overview");

        // Filters narrow every figure.
        await page.FillAsync("input[name=model]", "no-such-model");
        await page.ClickAsync(".filters button[type=submit]");
        await Assertions.Expect(page.Locator("[data-kpi=Requests] .kpi-value")).ToHaveTextAsync("0");
        await page.FillAsync("input[name=model]", "m");
        await page.ClickAsync(".filters button[type=submit]");
        await Assertions.Expect(page.Locator("[data-kpi=Requests] .kpi-value")).ToHaveTextAsync("5");

        // Clicking the bucket that holds the calls opens the traces behind it.
        await ChartsDrawnAsync(page);
        var point = await page.EvaluateAsync<double[]>(
            """() => { const c = Chart.getChart(document.querySelector('canvas[data-chart]')); const d = c.data.datasets[0].data; const i = d.findLastIndex(v => v > 0); const el = c.getDatasetMeta(0).data[i]; const r = c.canvas.getBoundingClientRect(); return [r.left + el.x, r.top + (el.y + el.base) / 2]; }""");
        await page.Mouse.ClickAsync((float)point[0], (float)point[1]);
        await page.WaitForURLAsync(url => url.Contains("/ui/traces?", StringComparison.Ordinal));
        Assert.Contains("model=m", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#traces tbody tr[data-trace]")).ToHaveCountAsync(5);
        await BrowserFixture.ShotAsync(page, "traces");

        // A trace: its spans as a waterfall, the messages, then feedback and a score.
        await page.Locator("#traces tbody tr[data-trace] a").First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/ui/traces/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#waterfall .span-row")).ToHaveCountAsync(2); // the call and its one attempt
        await Assertions.Expect(page.Locator("#waterfall")).ToContainTextAsync("attempt 1");
        await Assertions.Expect(page.Locator(".message.system")).ToContainTextAsync("Be brief.");
        await Assertions.Expect(page.Locator(".message.assistant")).Not.ToBeEmptyAsync();
        await page.ClickAsync("button[aria-label='thumbs up']");
        await Assertions.Expect(page.Locator("#score-list")).ToContainTextAsync("feedback");
        await page.FillAsync("#score-name", "accuracy");
        await page.FillAsync("#score-value", "0.75");
        await page.FillAsync("#score-comment", "close enough");
        await page.ClickAsync("#scores button.primary");
        await Assertions.Expect(page.Locator("#score-list")).ToContainTextAsync("accuracy");
        await Assertions.Expect(page.Locator("#score-list")).ToContainTextAsync("close enough");
        await BrowserFixture.ShotAsync(page, "trace");

        // The feedback shows in the overview.
        await page.GotoAsync(gateway.BaseUrl + "/ui");
        await Assertions.Expect(page.Locator("[data-kpi='Positive feedback'] .kpi-value")).ToContainTextAsync("100 % of 1");
    }

    [Fact]
    public async Task A_key_created_in_the_dashboard_works_at_the_gateway_is_rotated_and_limited_there_and_stops_when_revoked()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream, d => d.Model = "gpt-4o"), anonymous: false);
        var page = await browser.NewPageAsync(wide: true);
        await SignInAsync(page, gateway);

        await page.GotoAsync(gateway.BaseUrl + "/ui/keys");
        await page.FillAsync("#key-name", "from the dashboard");
        await page.FillAsync("#key-rpm", "100");
        await page.FillAsync("#key-budget", "5");
        await page.ClickAsync("form button.primary");
        var secret = await page.Locator("[data-secret]").InnerTextAsync();
        Assert.StartsWith("sy-", secret, StringComparison.Ordinal);
        var row = page.Locator("#keys tbody tr[data-key]").Filter(new LocatorFilterOptions { HasText = "from the dashboard" });
        await Assertions.Expect(row).ToContainTextAsync("active");
        await Assertions.Expect(row).ToContainTextAsync("rpm 100");
        await BrowserFixture.ShotAsync(page, "keys");

        Assert.Equal(HttpStatusCode.OK, await CallAsync(gateway, secret));

        // Its own page: rotate (the old secret keeps its grace period), then tighten its limit.
        await row.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/ui/keys/key_", StringComparison.Ordinal));
        await page.ClickAsync("text=Rotate");
        var rotated = await page.Locator("[data-secret]").InnerTextAsync();
        Assert.NotEqual(secret, rotated);
        Assert.Equal(HttpStatusCode.OK, await CallAsync(gateway, rotated));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(gateway, secret));
        await Assertions.Expect(page.Locator("#edit-rpm")).ToHaveValueAsync("100");
        await page.FillAsync("#edit-rpm", "3");
        await page.ClickAsync("form button.primary");
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Saved");
        Assert.Equal((HttpStatusCode)429, await CallAsync(gateway, rotated)); // three calls this minute already
        await BrowserFixture.ShotAsync(page, "key-edit");

        await page.GotoAsync(gateway.BaseUrl + "/ui/keys");
        await Assertions.Expect(row).ToContainTextAsync("rpm 3");
        await row.Locator("button.danger").ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(gateway, secret));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(gateway, rotated));

        // Reload: no secret is ever shown again.
        await page.GotoAsync(gateway.BaseUrl + "/ui/keys?revoked=1");
        var content = await page.ContentAsync();
        Assert.DoesNotContain(secret, content, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated, content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_page_reads_well_at_laptop_and_wide_sizes_and_live_pages_refresh_in_place()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(o =>
        {
            TestGateway.Upstream("m", "openai", upstream, d => d.Model = "gpt-4o")(o);
            o.Cache.Exact = true;
        });
        var (budgetedId, budgeted) = await gateway.CreateKeyAsync("""{"name":"budgeted","budget":{"max_usd":1,"window":"monthly"}}""");
        for (var i = 0; i < 4; i++)
        {
            await CallAsync(gateway, budgeted, "same question"); // one miss, then hits
        }

        await RecordedCalls.WaitForCountAsync(gateway, 4, Ct);
        var (_, traces, _) = await gateway.SendAsync(HttpMethod.Get, "/api/traces?limit=1");
        var traceId = traces!["data"]![0]!["trace_id"]!.GetValue<string>();
        var blocked = new List<string>();
        foreach (var wide in (bool[])[false, true])
        {
            var page = await browser.NewPageAsync(wide);
            page.Console += (_, message) =>
            {
                // Chromium reports what the Content-Security-Policy blocked (an inline style or script) on the console.
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                {
                    blocked.Add($"{page.Url}: {message.Text}");
                }
            };
            await SignInAsync(page, gateway);
            foreach (var path in (string[])["/ui", "/ui/traces", $"/ui/traces/{traceId}", "/ui/keys", $"/ui/keys/{budgetedId}", "/ui/teams", "/ui/spend", "/ui/models", "/ui/cache", "/ui/guardrails"])
            {
                await page.GotoAsync(gateway.BaseUrl + path);
                Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{path} scrolls sideways at {(wide ? "2560" : "1366")} px");
                await BrowserFixture.ShotAsync(page, $"{path.Replace('/', '_')}-{(wide ? "wide" : "laptop")}");
            }

            await page.CloseAsync();
        }

        Assert.Empty(blocked);
        var check = await browser.NewPageAsync();
        await SignInAsync(check, gateway);
        await check.GotoAsync(gateway.BaseUrl + "/ui/spend");
        await Assertions.Expect(check.Locator("#budgets")).ToContainTextAsync("budgeted");
        Assert.Equal(1, await check.Locator("canvas[data-chart]").CountAsync());
        await check.GotoAsync(gateway.BaseUrl + "/ui/models");
        await Assertions.Expect(check.Locator("tr[data-deployment='m-openai']")).ToContainTextAsync("closed");
        await Assertions.Expect(check.Locator("tr[data-deployment='m-openai'] td").Nth(6)).ToHaveTextAsync("1"); // the miss; the three hits never reached it
        await check.GotoAsync(gateway.BaseUrl + "/ui/cache");
        var cacheRow = check.Locator("tr[data-group='m']");
        await Assertions.Expect(cacheRow).ToContainTextAsync("75 %"); // 3 hits of 4 lookups
        await cacheRow.Locator("button.danger").ClickAsync();
        await Assertions.Expect(check.Locator("[role=status]")).ToContainTextAsync("Removed 1 cached answers of m");

        // Controls that act on change do so from dashboard.js, not inline handlers.
        await check.GotoAsync(gateway.BaseUrl + "/ui/keys");
        await check.CheckAsync("input[name=revoked]");
        // The submit's answer arriving is what this checks, not every asset of the next page loading:
        // under the whole suite's load, waiting for the load event took longer than the timeout.
        await check.WaitForURLAsync(url => url.Contains("revoked=1", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });
        await Assertions.Expect(check.Locator("input[name=revoked]")).ToBeCheckedAsync();
        await check.GotoAsync(gateway.BaseUrl + "/ui");
        await Assertions.Expect(check.Locator(".filters .custom")).ToBeHiddenAsync();
        await check.SelectOptionAsync("select[name=window]", "custom");
        await Assertions.Expect(check.Locator(".filters .custom")).ToBeVisibleAsync();

        // The overview refreshes in place: new calls appear without a navigation.
        await check.GotoAsync(gateway.BaseUrl + "/ui");
        await Assertions.Expect(check.Locator("[data-kpi=Requests] .kpi-value")).ToHaveTextAsync("4");
        await check.EvaluateAsync("() => { window.sameDocument = true; }");
        await CallAsync(gateway, budgeted, "another question");
        await RecordedCalls.WaitForCountAsync(gateway, 5, Ct);
        await ChartsDrawnAsync(check);
        await check.EvaluateAsync("() => window.switchyardRefresh()");
        await Assertions.Expect(check.Locator("[data-kpi=Requests] .kpi-value")).ToHaveTextAsync("5");
        Assert.True(await check.EvaluateAsync<bool>("() => window.sameDocument === true && Chart.getChart(document.querySelector('canvas[data-chart]')) !== undefined"));
    }

    [Fact]
    public async Task Teams_are_created_and_their_budget_changed_and_the_api_agrees()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var page = await browser.NewPageAsync();
        await SignInAsync(page, gateway);
        await page.GotoAsync(gateway.BaseUrl + "/ui/teams");
        await page.FillAsync("#team-id", "search");
        await page.FillAsync("#team-name", "Search");
        await page.FillAsync("#team-budget", "100");
        await page.ClickAsync("form button.primary");
        await Assertions.Expect(page.Locator("tr[data-team=search]")).ToContainTextAsync("$0 of $100 (monthly, hard)");

        await page.Locator("tr[data-team=search] a", new PageLocatorOptions { HasText = "Edit" }).ClickAsync();
        await Assertions.Expect(page.Locator("#team-budget")).ToHaveValueAsync("100");
        await page.FillAsync("#team-budget", "250");
        await page.FillAsync("#team-rpm", "600");
        await page.ClickAsync("form button.primary");
        await Assertions.Expect(page.Locator("tr[data-team=search]")).ToContainTextAsync("$0 of $250");
        await Assertions.Expect(page.Locator("tr[data-team=search]")).ToContainTextAsync("rpm 600");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/teams/search");
        request.Headers.Authorization = new("Bearer", TestGateway.AdminSecret);
        using var response = await gateway.Client.SendAsync(request, Ct);
        var team = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("250", team.GetProperty("budget").GetProperty("max_usd").GetString());
        Assert.Equal(600, team.GetProperty("limits").GetProperty("rpm").GetInt32());
    }

    /// <summary>The charts are drawn on DOMContentLoaded, a moment after the page's text is there.</summary>
    private static Task ChartsDrawnAsync(IPage page) =>
        page.WaitForFunctionAsync("() => [...document.querySelectorAll('canvas[data-chart]')].every(c => typeof Chart !== 'undefined' && Chart.getChart(c) !== undefined)");

    private static async Task SignInAsync(IPage page, TestGateway gateway, string? key = null)
    {
        await page.GotoAsync(gateway.BaseUrl + "/ui/signin");
        await page.FillAsync("#key", key ?? TestGateway.AdminSecret);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/ui/signin", StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> CallAsync(TestGateway gateway, string key, string text = "hi")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent($$"""{"model":"m","messages":[{"role":"user","content":"{{text}}"}]}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", key);
        using var response = await gateway.Client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
