using System.Net;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>The browser protections every dashboard response carries, signed in or not.</summary>
public sealed class DashboardHeadersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_dashboard_response_forbids_inline_script_framing_sniffing_and_referrers()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(gateway.BaseUrl) };
        using var signedIn = await DashboardSession.SignedInAsync(gateway, Ct);

        foreach (var (client, path) in new[] { (anonymous, "/"), (anonymous, "/ui"), (anonymous, "/ui/signin"), (anonymous, "/ui/assets/dashboard.css"), (signedIn, "/ui"), (signedIn, "/ui/traces"), (signedIn, "/ui/keys"), (signedIn, "/ui/no-such-page") })
        {
            using var response = await client.GetAsync(path, Ct);
            var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }
    }

    [Fact]
    public async Task Dashboard_pages_carry_no_inline_script_or_style()
    {
        await using var gateway = await TestGateway.StartAsync();
        (await gateway.Client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"), Ct)).Dispose();
        await RecordedCalls.WaitForCountAsync(gateway, 1, Ct);
        using var client = await DashboardSession.SignedInAsync(gateway, Ct);
        var (_, traces, _) = await gateway.SendAsync(HttpMethod.Get, "/api/traces?limit=1");
        var traceId = traces!["data"]![0]!["trace_id"]!.GetValue<string>();

        foreach (var path in (string[])["/ui/signin", "/ui", "/ui/traces", $"/ui/traces/{traceId}", "/ui/keys", "/ui/teams", "/ui/spend", "/ui/models", "/ui/cache", "/ui/guardrails"])
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=\"/ui/assets/)(?![^>]*type=\"application/json\")", html);
            Assert.DoesNotMatch(" on[a-z]+=\"", html);
        }
    }
}
