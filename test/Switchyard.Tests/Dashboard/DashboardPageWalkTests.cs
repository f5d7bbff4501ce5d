using System.Net;
using System.Text.RegularExpressions;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>
/// Walks every dashboard page, signed in and not, and the answers of its forms (including the error
/// pages): each is one HTML document with one title, and none of them may be framed.
/// </summary>
public sealed partial class DashboardPageWalkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_page_has_exactly_one_title()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (keyId, traceId) = await SeedAsync(gateway);
        using var signedIn = await DashboardSession.SignedInAsync(gateway, Ct);
        using var anonymous = Anonymous(gateway);

        foreach (var (client, path) in Pages(signedIn, anonymous, keyId, traceId))
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            AssertOneTitle(path, await response.Content.ReadAsStringAsync(Ct));
        }

        // A page answered by an endpoint rather than the router: the throttled sign-in form.
        using var throttled = await ThrottledSignInAsync(gateway);
        AssertOneTitle("throttled sign-in", await throttled.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Every_page_and_form_answer_refuses_framing_and_carries_the_content_security_policy()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (keyId, traceId) = await SeedAsync(gateway);
        using var signedIn = await DashboardSession.SignedInAsync(gateway, Ct);
        using var anonymous = Anonymous(gateway);

        foreach (var (client, path) in Pages(signedIn, anonymous, keyId, traceId).Concat([(anonymous, "/ui/assets/dashboard.js"), (anonymous, "/ui/assets/no-such-asset.js"), (anonymous, "/ui/keys")]))
        {
            using var response = await client.GetAsync(path, Ct);
            AssertProtected($"GET {path} ({(int)response.StatusCode})", response);
        }

        // Form answers: a refused sign-in (redirect), a form without its antiforgery token (400),
        // a throttled sign-in (429 page) and signing out.
        using (var refused = await anonymous.PostAsync("/ui/session", await SignInFormAsync(anonymous, "sy-wrong-key"), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            AssertProtected("POST /ui/session (refused)", refused);
        }

        using (var forged = await anonymous.PostAsync("/ui/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["Key"] = "x" }), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            AssertProtected("POST /ui/session (no antiforgery token)", forged);
        }

        using (var throttled = await ThrottledSignInAsync(gateway))
        {
            AssertProtected("POST /ui/session (throttled)", throttled);
        }

        // A page's own form, answered with the page, and the same form without its token.
        var cache = await signedIn.GetStringAsync("/ui/cache", Ct);
        using (var cleared = await signedIn.PostAsync("/ui/cache", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "clear-all", ["__RequestVerificationToken"] = Token(cache) }), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
            AssertProtected("POST /ui/cache", cleared);
            AssertOneTitle("POST /ui/cache", await cleared.Content.ReadAsStringAsync(Ct));
        }

        using (var forgedForm = await signedIn.PostAsync("/ui/cache", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "clear-all" }), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forgedForm.StatusCode);
            AssertProtected("POST /ui/cache (no antiforgery token)", forgedForm);
        }

        var page = await signedIn.GetStringAsync("/ui", Ct);
        using var signOut = await signedIn.PostAsync("/ui/session/end", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(page) }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        AssertProtected("POST /ui/session/end", signOut);
    }

    private static IEnumerable<(HttpClient Client, string Path)> Pages(HttpClient signedIn, HttpClient anonymous, string keyId, string traceId) =>
    [
        (anonymous, "/ui/signin"),
        (anonymous, "/ui/signin?failed=refused"),
        (signedIn, "/ui"),
        (signedIn, "/ui/traces"),
        (signedIn, $"/ui/traces/{traceId}"),
        (signedIn, "/ui/traces/0123456789abcdef0123456789abcdef"),
        (signedIn, "/ui/keys"),
        (signedIn, $"/ui/keys/{keyId}"),
        (signedIn, "/ui/teams"),
        (signedIn, "/ui/spend"),
        (signedIn, "/ui/models"),
        (signedIn, "/ui/guardrails"),
        (signedIn, "/ui/cache"),
        (signedIn, "/ui/prompts"),
        (signedIn, "/ui/prompts/no-such-prompt"),
        (signedIn, "/ui/prompts/%3Cscript%3E?show=-1&from=x&to=99999999999"),
        (signedIn, "/ui/signin"),
        (signedIn, "/ui/no-such-page"),
    ];

    private static void AssertOneTitle(string what, string html)
    {
        // Only the document's titles: an SVG may carry its own <title> as its accessible name.
        var head = Head().Match(html);
        Assert.True(head.Success, $"{what}: no <head>");
        Assert.True(Title().Count(head.Value) == 1, $"{what}: {Title().Count(head.Value)} <title> elements in <head>");
        Assert.Equal(1, Title().Count(SvgBlock().Replace(html, "")));
    }

    private static void AssertProtected(string what, HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frame) && frame.Single() == "DENY", $"{what}: X-Frame-Options");
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var policies), $"{what}: no Content-Security-Policy");
        var csp = policies.Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private static async Task<(string KeyId, string TraceId)> SeedAsync(TestGateway gateway)
    {
        var (keyId, _) = await gateway.CreateKeyAsync("""{"name":"walked"}""");
        (await gateway.ChatAsync(key: null)).Dispose();
        await RecordedCalls.WaitForCountAsync(gateway, 1, Ct);
        var (_, traces, _) = await gateway.SendAsync(HttpMethod.Get, "/api/traces?limit=1");
        return (keyId, traces!["data"]![0]!["trace_id"]!.GetValue<string>());
    }

    /// <summary>Refused sign-ins from a fresh client until the form answers 429 (the limit is ten a minute).</summary>
    private static async Task<HttpResponseMessage> ThrottledSignInAsync(TestGateway gateway)
    {
        using var client = Anonymous(gateway);
        for (var i = 0; i < 30; i++)
        {
            var response = await client.PostAsync("/ui/session", await SignInFormAsync(client, $"sy-guess-{i:D4}"), Ct);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            response.Dispose();
        }

        Assert.Fail("Thirty refused sign-ins were never answered 429.");
        return null!;
    }

    private static async Task<FormUrlEncodedContent> SignInFormAsync(HttpClient client, string key)
    {
        var page = await client.GetStringAsync("/ui/signin", Ct);
        return new FormUrlEncodedContent(new Dictionary<string, string> { ["Key"] = key, ["__RequestVerificationToken"] = Token(page) });
    }

    private static string Token(string html) => WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);

    private static HttpClient Anonymous(TestGateway gateway) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(gateway.BaseUrl) };

    [GeneratedRegex("<head>.*?</head>", RegexOptions.Singleline)]
    private static partial Regex Head();

    [GeneratedRegex("<title[ >]")]
    private static partial Regex Title();

    [GeneratedRegex("<svg.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgBlock();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
