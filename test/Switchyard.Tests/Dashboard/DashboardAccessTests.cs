using System.Net;
using System.Text.RegularExpressions;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>Who may see and change what in the dashboard, over plain HTTP against a real gateway.</summary>
public sealed partial class DashboardAccessTests
{
    private static readonly string[] s_pages = ["/ui", "/ui/traces", "/ui/traces/0123456789abcdef0123456789abcdef", "/ui/keys", "/ui/keys/key_123", "/ui/teams", "/ui/spend", "/ui/models", "/ui/cache", "/ui/guardrails"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_page_and_api_call_without_a_session_or_key_is_refused()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        using var client = Client(gateway);
        foreach (var page in s_pages)
        {
            using var response = await client.GetAsync(page, Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/ui/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        foreach (var api in (string[])["/api/traces", "/api/keys", "/api/cache", "/api/metrics/summary"])
        {
            using var response = await client.GetAsync(api, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var signIn = await client.GetAsync("/ui/signin", Ct);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.DoesNotContain(TestGateway.AdminSecret, await signIn.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forms_need_their_antiforgery_token_and_the_session_cookie_is_http_only_and_strict()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        using var client = Client(gateway);

        // No token: refused, and no session.
        using (var forged = await client.PostAsync("/ui/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["Key"] = TestGateway.AdminSecret }), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.False(forged.Headers.Contains("Set-Cookie") && forged.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("sy-ui=", StringComparison.Ordinal)));
        }

        var cookie = await SignInAsync(client, TestGateway.AdminSecret);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using (var overview = await client.GetAsync("/ui", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        }

        // A signed-in user's form without the token is refused too, and changes nothing.
        var keysBefore = await ApiAsync(gateway, "/api/keys");
        using (var forged = await client.PostAsync("/ui/keys", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "create-key", ["Draft.Name"] = "forged" }), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        Assert.Equal(keysBefore, await ApiAsync(gateway, "/api/keys"));

        // Sign-out ends the session.
        var token = await TokenAsync(client, "/ui");
        using (var signOut = await client.PostAsync("/ui/session/end", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        using var after = await client.GetAsync("/ui", Ct);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task A_read_key_sees_but_cannot_change_and_loses_its_session_when_revoked()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var (keyId, secret) = await gateway.CreateKeyAsync("""{"name":"viewer","scopes":["read"]}""");
        var (_, inferenceOnly) = await gateway.CreateKeyAsync("""{"name":"app"}""");
        using var client = Client(gateway);

        using (var refused = await SignInRawAsync(client, inferenceOnly))
        {
            Assert.Contains("failed=", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        await SignInAsync(client, secret);
        var keysPage = await client.GetStringAsync("/ui/keys", Ct);
        Assert.Contains("viewer", keysPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Create key", keysPage, StringComparison.Ordinal);
        Assert.DoesNotContain(">Revoke<", keysPage, StringComparison.Ordinal);

        // Even a well-formed form post changes nothing for a reader (the form is not there to post to).
        var token = Token(await client.GetStringAsync("/ui", Ct));
        using (var post = await client.PostAsync("/ui/keys", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "create-key", ["__RequestVerificationToken"] = token, ["Draft.Name"] = "sneaky" }), Ct))
        {
            Assert.True(post.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{post.StatusCode}");
        }

        Assert.DoesNotContain("sneaky", await ApiAsync(gateway, "/api/keys"), StringComparison.Ordinal);

        // Revoking the key ends its dashboard session at the next request.
        using (var revoke = new HttpRequestMessage(HttpMethod.Delete, "/api/keys/" + keyId))
        {
            revoke.Headers.Authorization = new("Bearer", TestGateway.AdminSecret);
            (await gateway.Client.SendAsync(revoke, Ct)).Dispose();
        }

        using var after = await client.GetAsync("/ui", Ct);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task Sign_in_only_returns_to_dashboard_pages()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        using var client = Client(gateway);
        var token = await TokenAsync(client, "/ui/signin");
        using var response = await client.PostAsync("/ui/session", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Key"] = TestGateway.AdminSecret,
            ["ReturnUrl"] = "https://evil.example/",
            ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal("/ui", response.Headers.Location!.ToString());
    }

    private static HttpClient Client(TestGateway gateway) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(gateway.BaseUrl) };

    private static async Task<string> SignInAsync(HttpClient client, string key)
    {
        using var response = await SignInRawAsync(client, key);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("failed", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sy-ui=", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> SignInRawAsync(HttpClient client, string key)
    {
        var token = await TokenAsync(client, "/ui/signin");
        return await client.PostAsync("/ui/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["Key"] = key, ["__RequestVerificationToken"] = token }), Ct);
    }

    private static async Task<string> TokenAsync(HttpClient client, string page) => Token(await client.GetStringAsync(page, Ct));

    private static string Token(string html) => TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new Xunit.Sdk.XunitException("no antiforgery token on the page");

    private static async Task<string> ApiAsync(TestGateway gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", TestGateway.AdminSecret);
        using var response = await gateway.Client.SendAsync(request, Ct);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
