using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace Switchyard.Tests.TestUtilities;

/// <summary>A cookie-carrying client signed in to the dashboard through its own form, antiforgery token and all.</summary>
internal static partial class DashboardSession
{
    /// <param name="cookies">Where the session cookie lands, for tests that copy it.</param>
    public static async Task<HttpClient> SignedInAsync(TestGateway gateway, CancellationToken cancellationToken, string key = TestGateway.AdminSecret, CookieContainer? cookies = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies ?? new CookieContainer() }) { BaseAddress = new Uri(gateway.BaseUrl) };
        var page = await client.GetStringAsync("/ui/signin", cancellationToken);
        var token = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
        using var response = await client.PostAsync("/ui/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["Key"] = key, ["__RequestVerificationToken"] = token }), cancellationToken);
        Assert.Equal("/ui", response.Headers.Location?.ToString());
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
