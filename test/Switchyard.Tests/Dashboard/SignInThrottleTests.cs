using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>Failed dashboard sign-ins are throttled per client address, like wrong keys on the APIs.</summary>
public sealed partial class SignInThrottleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ten_refused_sign_ins_then_the_sign_in_page_answers_429_even_for_the_admin_key_until_the_window_has_passed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        using var client = Client(gateway);

        for (var i = 0; i < 10; i++)
        {
            using var refused = await SignInAsync(client, $"sy-guess-{i:D4}");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("failed=", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        foreach (var key in (string[])["sy-guess-final", TestGateway.AdminSecret])
        {
            using var blocked = await SignInAsync(client, key);
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
            Assert.Equal("6", blocked.Headers.GetValues("Retry-After").Single());
            Assert.False(blocked.Headers.Contains("Set-Cookie") && blocked.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("sy-ui=", StringComparison.Ordinal)));

            // The sign-in page itself, with the reason and a form to try again later.
            var html = await blocked.Content.ReadAsStringAsync(Ct);
            Assert.Contains("Too many failed sign-ins from this address. Try again in 6 seconds.", html, StringComparison.Ordinal);
            Assert.Contains("action=\"/ui/session\"", html, StringComparison.Ordinal);
            Assert.Contains("dashboard.css", html, StringComparison.Ordinal);
            Token(html);
        }

        time.Advance(TimeSpan.FromMinutes(1));
        using var signedIn = await SignInAsync(client, TestGateway.AdminSecret);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/ui", signedIn.Headers.Location!.ToString());
    }

    [Fact]
    public async Task An_empty_key_or_a_valid_key_without_the_read_scope_takes_nothing_from_the_allowance()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var (_, inferenceOnly) = await gateway.CreateKeyAsync("""{"name":"app"}""");
        using var client = Client(gateway);
        for (var i = 0; i < 15; i++)
        {
            using var refused = await SignInAsync(client, i % 2 == 0 ? " " : inferenceOnly);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        }

        using var signedIn = await SignInAsync(client, TestGateway.AdminSecret);
        Assert.Equal("/ui", signedIn.Headers.Location!.ToString());
    }

    private static HttpClient Client(TestGateway gateway) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(gateway.BaseUrl) };

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string key)
    {
        var token = Token(await client.GetStringAsync("/ui/signin", Ct));
        var response = await client.PostAsync("/ui/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["Key"] = key, ["__RequestVerificationToken"] = token }), Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    private static string Token(string html) => TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new Xunit.Sdk.XunitException("no antiforgery token on the page");

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
