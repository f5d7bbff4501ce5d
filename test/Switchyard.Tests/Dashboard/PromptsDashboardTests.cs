using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>The prompt pages in a real browser: the list, a prompt's versions with their production figures, a diff, the label history, and the traces behind a figure.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PromptsDashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_prompts_versions_figures_diff_and_history_lead_to_its_traces()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.CreateAsync("/api/prompts", """{"name":"welcome","prompt":[{"role":"system","content":"Greet {{name}} warmly."}],"model":"sandbox","message":"first","labels":["production"]}""");
        await gateway.CreateAsync("/api/prompts", """{"name":"welcome","prompt":[{"role":"system","content":"Greet {{name}} briefly."}],"model":"sandbox","message":"shorter"}""");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await CallAsync(gateway, """{"prompt":{"name":"welcome","variables":{"name":"Ada"}},"messages":[{"role":"user","content":"hi"}]}"""));
        }

        Assert.Equal(HttpStatusCode.OK, await CallAsync(gateway, """{"prompt":{"name":"welcome","version":2,"variables":{"name":"Ada"}},"messages":[{"role":"user","content":"hi"}]}"""));
        await gateway.CreateAsync("/api/prompts/welcome/experiments", """{"variants":[{"name":"warm","version":1,"weight":50},{"name":"brief","version":2,"weight":50}],"min_sample":5}""");
        for (var user = 0; user < 10; user++)
        {
            Assert.Equal(HttpStatusCode.OK, await CallAsync(gateway, $$$"""{"prompt":{"name":"welcome","variables":{"name":"Ada"}},"user":"u{{{user}}}","messages":[{"role":"user","content":"hi"}]}"""));
        }

        await RecordedCalls.WaitForCountAsync(gateway, 14, Ct);

        var page = await browser.NewPageAsync();
        await page.GotoAsync(gateway.BaseUrl + "/ui/signin");
        await page.FillAsync("#key", TestGateway.AdminSecret);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/ui/signin", StringComparison.Ordinal));
        await page.ClickAsync("nav >> text=Prompts");
        await page.WaitForURLAsync(url => url.EndsWith("/ui/prompts", StringComparison.Ordinal));

        var row = page.Locator("tr[data-prompt=welcome]");
        await Assertions.Expect(row).ToContainTextAsync("production → 1");
        await Assertions.Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("14");
        await BrowserFixture.ShotAsync(page, "prompts");

        await row.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/ui/prompts/welcome", StringComparison.Ordinal));
        var onVersion1 = int.Parse(await page.Locator("tr[data-version='1'] td").Nth(6).InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var onVersion2 = int.Parse(await page.Locator("tr[data-version='2'] td").Nth(6).InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(14, onVersion1 + onVersion2);
        var warm = int.Parse(await page.Locator("tr[data-variant=warm] td").Nth(3).InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var brief = int.Parse(await page.Locator("tr[data-variant=brief] td").Nth(3).InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(10, warm + brief);
        Assert.Equal(3 + warm, onVersion1);
        await Assertions.Expect(page.Locator("h3[data-split]")).ToContainTextAsync("running");
        await Assertions.Expect(page.Locator("tr[data-version='1']")).ToContainTextAsync("production");
        await Assertions.Expect(page.Locator("#prompt-diff .diff-del")).ToContainTextAsync("Greet {{name}} warmly.");
        await Assertions.Expect(page.Locator("#prompt-diff .diff-add")).ToContainTextAsync("Greet {{name}} briefly.");
        await Assertions.Expect(page.Locator("#prompt-history")).ToContainTextAsync("production");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await BrowserFixture.ShotAsync(page, "prompt");

        await page.Locator("tr[data-version='1'] td").Nth(6).Locator("a").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("prompt_version=1", StringComparison.Ordinal));
        Assert.Equal(onVersion1, await page.Locator("#traces tbody tr").CountAsync());
        await Assertions.Expect(page.Locator("#traces tbody tr").First).ToContainTextAsync("welcome@1");
    }

    private static async Task<HttpStatusCode> CallAsync(TestGateway gateway, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminSecret);
        using var response = await gateway.Client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
