using System.Net;
using System.Text;
using Microsoft.Playwright;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>The guardrails page in a real browser: triggers per guard, who triggers most, and a blocked call one click from its trace.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GuardrailsDashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Triggers_top_keys_and_a_blocked_call_lead_to_its_trace()
    {
        await using var gateway = await TestGateway.StartAsync(o =>
        {
            o.Guardrails.Guards["limits"] = new GuardOptions { Type = GuardType.Validation, Action = GuardAction.Block, Deny = ["(?i)drop table"] };
            o.Guardrails.Guards["pii"] = new GuardOptions { Type = GuardType.Pii, Action = GuardAction.Flag };
            o.Guardrails.Input = ["limits", "pii"];
        });
        var (keyId, key) = await gateway.CreateKeyAsync("""{"name":"noisy"}""");
        Assert.Equal(HttpStatusCode.BadRequest, await CallAsync(gateway, key, "please DROP TABLE users"));
        Assert.Equal(HttpStatusCode.BadRequest, await CallAsync(gateway, key, "and drop table orders"));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(gateway, key, "write to jane.doe@example.com"));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(gateway, key, "hello"));
        await RecordedCalls.WaitForCountAsync(gateway, 4, Ct);

        var page = await browser.NewPageAsync();
        await page.GotoAsync(gateway.BaseUrl + "/ui/signin");
        await page.FillAsync("#key", TestGateway.AdminSecret);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/ui/signin", StringComparison.Ordinal));
        await page.GotoAsync(gateway.BaseUrl + "/ui/guardrails");

        await Assertions.Expect(page.Locator("tr[data-guard=limits]")).ToContainTextAsync("4");
        await Assertions.Expect(page.Locator("tr[data-guard=limits] td").Nth(3)).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("tr[data-guard=pii] td").Nth(3)).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#guardrail-keys")).ToContainTextAsync(keyId);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('canvas[data-chart]')].every(c => typeof Chart !== 'undefined' && Chart.getChart(c) !== undefined)");
        var drawn = await page.EvaluateAsync<double>("() => Chart.getChart(document.querySelector('canvas[data-chart]')).data.datasets.reduce((s, d) => s + d.data.reduce((a, b) => a + (b || 0), 0), 0)");
        Assert.Equal(3, drawn);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await BrowserFixture.ShotAsync(page, "guardrails");

        Assert.Equal(2, await page.Locator("#guardrail-blocked tbody tr").CountAsync());
        await page.Locator("#guardrail-blocked tbody tr a").First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/ui/traces/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("guardrail limits (input): fired");

        await page.GotoAsync(gateway.BaseUrl + "/ui/guardrails");
        await page.Locator("#guardrail-keys a").First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("key=" + keyId, StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> CallAsync(TestGateway gateway, string key, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent($$"""{"model":"sandbox","messages":[{"role":"user","content":"{{text}}"}]}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", key);
        using var response = await gateway.Client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
