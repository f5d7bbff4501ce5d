using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Identity;

/// <summary>
/// Thirty wrong keys in a row from one address, on each surface that takes a key (<c>/v1</c>, <c>/api</c>,
/// the dashboard's sign-in form): the first ten are refused as usual, the other twenty with 429 and
/// <c>Retry-After</c>, and the allowance is one per address whichever surface spends it. A fake clock
/// stands still, so nothing refills while the test runs.
/// </summary>
public sealed partial class FailedAuthSurfacesTests
{
    private const int Attempts = 30;
    private const int Allowance = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Surfaces => ["v1", "api", "ui"];

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Thirty_wrong_keys_are_refused_ten_times_then_answered_429_with_Retry_After(string surface)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        using var client = Client(gateway);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Attempts; i++)
        {
            using var response = await AttemptAsync(client, surface, $"sy-guess-{i:D4}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
                Assert.InRange(retryAfter, 1, 60);
            }
        }

        var refused = surface == "ui" ? HttpStatusCode.Redirect : HttpStatusCode.Unauthorized;
        Assert.Equal(Enumerable.Repeat(refused, Allowance).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, Attempts - Allowance)), statuses);

        // One token back (a minute's window over ten failures) lets exactly one more guess through.
        time.Advance(TimeSpan.FromSeconds(6));
        using (var next = await AttemptAsync(client, surface, "sy-guess-after-wait"))
        {
            Assert.Equal(refused, next.StatusCode);
        }

        using var again = await AttemptAsync(client, surface, "sy-guess-again");
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
    }

    [Theory]
    [InlineData("v1", "api")]
    [InlineData("v1", "ui")]
    [InlineData("api", "v1")]
    [InlineData("api", "ui")]
    [InlineData("ui", "v1")]
    [InlineData("ui", "api")]
    public async Task The_allowance_spent_on_one_surface_blocks_the_others(string spentOn, string triedOn)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        using var client = Client(gateway);
        for (var i = 0; i < Allowance; i++)
        {
            (await AttemptAsync(client, spentOn, $"sy-guess-{i:D4}")).Dispose();
        }

        using var blocked = await AttemptAsync(client, triedOn, "sy-guess-elsewhere");

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.True(blocked.Headers.Contains("Retry-After"));
    }

    private static async Task<HttpResponseMessage> AttemptAsync(HttpClient client, string surface, string key)
    {
        HttpResponseMessage response;
        switch (surface)
        {
            case "v1":
                using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions"))
                {
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                    request.Content = new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json");
                    response = await client.SendAsync(request, Ct);
                }

                break;
            case "api":
                using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/keys"))
                {
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                    response = await client.SendAsync(request, Ct);
                }

                break;
            default:
                var page = await client.GetStringAsync("/ui/signin", Ct);
                var token = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
                response = await client.PostAsync("/ui/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["Key"] = key, ["__RequestVerificationToken"] = token }), Ct);
                break;
        }

        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    private static HttpClient Client(TestGateway gateway) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(gateway.BaseUrl) };

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
