using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>Dashboard sessions end on the server: sign-out, idling, the absolute lifetime and revocation all refuse a copied cookie.</summary>
public sealed class DashboardSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cookie_copied_before_sign_out_no_longer_opens_the_dashboard()
    {
        await using var gateway = await TestGateway.StartAsync();
        var cookies = new CookieContainer();
        using var client = await DashboardSession.SignedInAsync(gateway, Ct, cookies: cookies);
        var copied = SessionCookie(cookies, gateway);
        using var replay = Replaying(gateway, copied);
        Assert.Equal(HttpStatusCode.OK, (await replay.GetAsync("/ui/keys", Ct)).StatusCode);

        await SignOutAsync(client);

        using var after = await replay.GetAsync("/ui/keys", Ct);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/ui/signin", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_ends_after_the_idle_timeout_and_activity_keeps_it_open()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        using var active = await DashboardSession.SignedInAsync(gateway, Ct);
        using var idle = await DashboardSession.SignedInAsync(gateway, Ct);

        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromMinutes(40));
            Assert.Equal(HttpStatusCode.OK, (await active.GetAsync("/ui/keys", Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await idle.GetAsync("/ui/keys", Ct)).StatusCode); // 120 minutes without a request
    }

    [Fact]
    public async Task A_session_ends_at_its_lifetime_however_active()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(o => o.Auth.SessionLifetime = TimeSpan.FromHours(2), services: s => s.AddSingleton<TimeProvider>(time));
        var cookies = new CookieContainer();
        using var client = await DashboardSession.SignedInAsync(gateway, Ct, cookies: cookies);
        var copied = SessionCookie(cookies, gateway);

        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromMinutes(30));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ui/keys", Ct)).StatusCode);
        }

        time.Advance(TimeSpan.FromMinutes(31));
        using var replay = Replaying(gateway, copied);
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/ui/keys", Ct)).StatusCode);
    }

    [Fact]
    public async Task Revoking_the_key_ends_its_sessions_and_a_restart_keeps_the_others()
    {
        var data = TestGateway.NewDataDirectory();
        string readerCookie, adminCookie;
        await using (var gateway = await TestGateway.StartAsync(dataDirectory: data))
        {
            var (id, reader) = await gateway.CreateKeyAsync("""{"name":"viewer","scopes":["read"]}""");
            var readerCookies = new CookieContainer();
            var adminCookies = new CookieContainer();
            using var readerClient = await DashboardSession.SignedInAsync(gateway, Ct, reader, readerCookies);
            using var adminClient = await DashboardSession.SignedInAsync(gateway, Ct, cookies: adminCookies);
            readerCookie = SessionCookie(readerCookies, gateway);
            adminCookie = SessionCookie(adminCookies, gateway);
            Assert.Equal(HttpStatusCode.OK, (await readerClient.GetAsync("/ui/traces", Ct)).StatusCode);

            await gateway.SendAsync(HttpMethod.Delete, $"/api/keys/{id}");

            Assert.Equal(HttpStatusCode.Redirect, (await readerClient.GetAsync("/ui/traces", Ct)).StatusCode);
        }

        try
        {
            await using var restarted = await TestGateway.StartAsync(dataDirectory: data);
            using var admin = Replaying(restarted, adminCookie);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/ui/keys", Ct)).StatusCode);
            using var reader = Replaying(restarted, readerCookie);
            Assert.Equal(HttpStatusCode.Redirect, (await reader.GetAsync("/ui/keys", Ct)).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static string SessionCookie(CookieContainer cookies, TestGateway gateway) =>
        cookies.GetCookies(new Uri(gateway.BaseUrl + "/ui"))["sy-ui"]!.Value;

    private static HttpClient Replaying(TestGateway gateway, string cookie)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(gateway.BaseUrl) };
        client.DefaultRequestHeaders.Add("Cookie", "sy-ui=" + cookie);
        return client;
    }

    private static async Task SignOutAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/ui", Ct);
        var token = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        using var response = await client.PostAsync("/ui/session/end", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
