using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Identity;

/// <summary>Failed authentication from one client address, throttled on a real gateway with a fake clock.</summary>
public sealed class FailedAuthThrottlingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Wrong_keys_on_v1_get_401_ten_times_then_429_even_with_the_right_key_until_the_window_has_passed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        var (_, secret) = await gateway.CreateKeyAsync("""{"name":"app"}""");

        var statuses = new List<int>();
        for (var i = 0; i < 50; i++)
        {
            using var response = await gateway.ChatAsync($"sk-guess-{i:D4}");
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("6", response.Headers.GetValues("Retry-After").Single());
                var error = await GatewayApi.ErrorAsync(response);
                Assert.Equal("rate_limit_error", error["type"]!.GetValue<string>());
            }
        }

        Assert.Equal(Enumerable.Repeat(401, 10).Concat(Enumerable.Repeat(429, 40)), statuses);

        // The right key learns nothing while the address is blocked, in either API's shape.
        using (var right = await gateway.ChatAsync(secret))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        }

        using (var anthropic = await MessagesAsync(gateway, secret))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, anthropic.StatusCode);
            Assert.Contains("\"rate_limit_error\"", await anthropic.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.True(anthropic.Headers.Contains("Retry-After"));
        }

        time.Advance(TimeSpan.FromMinutes(1));
        using (var after = await gateway.ChatAsync(secret))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        var metrics = await ScrapeUntilAsync(gateway, "switchyard_auth_throttled_total");
        Assert.True(Counted(metrics, "switchyard_auth_failures_total", "v1") >= 10, metrics);
        Assert.True(Counted(metrics, "switchyard_auth_throttled_total", "v1") >= 42, metrics);
    }

    [Fact]
    public async Task Wrong_keys_on_api_get_401_ten_times_then_every_endpoint_that_checks_keys_answers_429()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        for (var i = 0; i < 10; i++)
        {
            var (wrong, _, _) = await gateway.SendAsync(HttpMethod.Get, "/api/keys", key: $"sk-guess-{i:D4}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        }

        // Even the admin key, on the admin API, OTLP, Langfuse ingestion and feedback alike.
        var (status, body, response) = await gateway.SendAsync(HttpMethod.Get, "/api/keys");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("6", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("rate_limit_error", body!["error"]!["type"]!.GetValue<string>());
        Assert.Contains("Too many failed authentications", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var path in (string[])["/v1/traces", "/api/public/otel/v1/traces", "/api/feedback", "/api/public/ingestion"])
        {
            (status, body, response) = await gateway.SendAsync(HttpMethod.Post, path, "{}");
            Assert.True(status == HttpStatusCode.TooManyRequests, $"{path}: {(int)status}");
            Assert.True(response.Headers.Contains("Retry-After"), path);
            Assert.Equal("rate_limit_error", body!["error"]!["type"]!.GetValue<string>());
        }

        time.Advance(TimeSpan.FromMinutes(1));
        (status, _, _) = await gateway.SendAsync(HttpMethod.Get, "/api/keys");
        Assert.Equal(HttpStatusCode.OK, status);

        var metrics = await ScrapeUntilAsync(gateway, "switchyard_auth_throttled_total");
        Assert.True(Counted(metrics, "switchyard_auth_failures_total", "api") >= 10, metrics);
        Assert.True(Counted(metrics, "switchyard_auth_throttled_total", "api") >= 5, metrics);
    }

    [Fact]
    public async Task Valid_keys_never_take_from_the_allowance_and_a_missing_key_does_not_either()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        var (_, secret) = await gateway.CreateKeyAsync("""{"name":"app"}""");

        for (var i = 0; i < 1000; i++)
        {
            using var ok = await gateway.ChatAsync(secret);
            Assert.True(ok.StatusCode == HttpStatusCode.OK, $"call {i}: {(int)ok.StatusCode}");
        }

        for (var i = 0; i < 20; i++)
        {
            using var anonymous = await gateway.ChatAsync(key: null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        for (var i = 0; i < 10; i++)
        {
            using var wrong = await gateway.ChatAsync("sk-wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var blocked = await gateway.ChatAsync("sk-wrong");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
    }

    [Fact]
    public async Task A_limit_of_zero_turns_throttling_off()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.Auth.FailedAuthLimit = 0, anonymous: false);
        for (var i = 0; i < 30; i++)
        {
            using var wrong = await gateway.ChatAsync("sk-wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var (status, _, _) = await gateway.SendAsync(HttpMethod.Get, "/api/keys");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    /// <summary>
    /// A counter's value for one endpoint. Every gateway in the test process exports every meter named
    /// <c>Switchyard.Gateway</c>, so tests running alongside may add to it: at least is what holds.
    /// </summary>
    private static long Counted(string metrics, string name, string endpoint)
    {
        var match = Regex.Match(metrics, name + "\\{[^}]*endpoint=\"" + endpoint + "\"[^}]*\\} (\\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>The exporter caches a scrape briefly, so a fresh figure can take one more scrape.</summary>
    private static async Task<string> ScrapeUntilAsync(TestGateway gateway, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var text = await gateway.Client.GetStringAsync("/metrics", Ct);
            if (text.Contains(expected, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(100, Ct);
        }
    }

    private static async Task<HttpResponseMessage> MessagesAsync(TestGateway gateway, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages");
        request.Headers.Add("x-api-key", key);
        request.Content = new StringContent("""{"model":"sandbox","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");
        var response = await gateway.Client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }
}
