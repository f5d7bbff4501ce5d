using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Spend;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Limits;

/// <summary>The concurrency checks: real parallel HTTP calls against a real gateway; limits must hold exactly.</summary>
public sealed class LimitsUnderLoadTests
{
    /// <summary>gpt-4o: $2.50 in, $10 out per million tokens; the fake upstream reports 5 in, 1000 out: $0.0100125 a call.</summary>
    private const string PricedModel = "gpt-4o";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Action<SwitchyardOptions> SlowSandbox(TimeSpan firstToken) => o =>
        o.ModelGroups["sandbox"].Deployments[0].Sandbox.TimeToFirstToken = firstToken;

    [Fact]
    public async Task Twenty_requests_per_minute_admit_exactly_twenty_of_sixty_simultaneous_calls()
    {
        await using var gateway = await TestGateway.StartAsync(SlowSandbox(TimeSpan.FromMilliseconds(200)), anonymous: false);
        var (_, secret) = await gateway.CreateKeyAsync("""{"name":"rpm","limits":{"rpm":20}}""");

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => gateway.ChatAsync(secret, maxTokens: 5)));
        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(40, refused.Count);
        foreach (var response in refused)
        {
            var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 61);
            Assert.Equal("0", response.Headers.GetValues("x-ratelimit-remaining-requests").Single());
            Assert.Equal("rate_limit_exceeded", (await GatewayApi.ErrorAsync(response))["code"]!.GetValue<string>());
        }

        var remaining = responses.Where(r => r.StatusCode == HttpStatusCode.OK)
            .Select(r => int.Parse(r.Headers.GetValues("x-ratelimit-remaining-requests").Single(), CultureInfo.InvariantCulture))
            .Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 20), remaining); // Each admitted call saw its own place in the count.
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.OK), r => Assert.Equal("20", r.Headers.GetValues("x-ratelimit-limit-requests").Single()));
    }

    [Fact]
    public async Task A_token_limit_admits_no_more_tokens_than_it_allows()
    {
        await using var gateway = await TestGateway.StartAsync(SlowSandbox(TimeSpan.FromMilliseconds(300)), anonymous: false);
        // Learn what one request reserves from a separate key's headers: a small body reserves its
        // byte count (a bound on its prompt tokens) plus max_tokens.
        var (_, probe) = await gateway.CreateKeyAsync("""{"name":"probe","limits":{"tpm":100000}}""");
        var probed = await gateway.ChatAsync(probe, maxTokens: 900);
        var estimate = 100_000 - long.Parse(probed.Headers.GetValues("x-ratelimit-remaining-tokens").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(estimate, 901, 1100);

        var (_, secret) = await gateway.CreateKeyAsync("""{"name":"tpm","limits":{"tpm":10000}}""");
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => gateway.ChatAsync(secret, maxTokens: 900)));
        var admitted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(10_000 / estimate, admitted);
        Assert.True(admitted * estimate <= 10_000);
        Assert.Equal(30 - admitted, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));

        // One request larger than the whole limit can never succeed: no Retry-After.
        var tooLarge = await gateway.ChatAsync(secret, maxTokens: 20_000);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooLarge.StatusCode);
        Assert.False(tooLarge.Headers.Contains("Retry-After"));
        Assert.Equal("tokens_exceed_limit", (await GatewayApi.ErrorAsync(tooLarge))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_byte_bound_does_not_fit_the_tokenizer_count_decides()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var (_, secret) = await gateway.CreateKeyAsync("""{"name":"tight","limits":{"tpm":1000}}""");
        var words = string.Concat(Enumerable.Repeat("a ", 600)); // 1,200 bytes, about 600 tokens
        var response = await gateway.ChatAsync(secret, maxTokens: 100, content: words);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var remaining = long.Parse(response.Headers.GetValues("x-ratelimit-remaining-tokens").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(remaining, 200, 400); // 1000 - (about 600 prompt tokens + 100)

        // Twice the text cannot fit even by the tokenizer's count.
        var refused = await gateway.ChatAsync(secret, maxTokens: 100, content: words + words);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task A_hard_budget_holds_under_fifty_parallel_calls_and_then_refuses()
    {
        await using var upstream = await PricedUpstreamAsync(TimeSpan.FromMilliseconds(300));
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("priced", "openai", upstream, d => d.Model = PricedModel), anonymous: false);
        var (id, secret) = await gateway.CreateKeyAsync("""{"name":"budget","budget":{"max_usd":0.05,"window":"daily","mode":"hard"}}""");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => gateway.ChatAsync(secret, "priced", maxTokens: 1000)));
        var succeeded = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(4, succeeded); // Each may cost up to $0.0100…: a fifth reservation would pass $0.05.
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PaymentRequired, r.StatusCode));
        var error = await GatewayApi.ErrorAsync(responses.First(r => r.StatusCode != HttpStatusCode.OK));
        Assert.Equal("budget_exceeded", error["code"]!.GetValue<string>());
        Assert.Equal("budget_exceeded", error["type"]!.GetValue<string>());

        var spend = (await gateway.SendAsync(HttpMethod.Get, $"/api/keys/{id}")).Body!["spend"]!;
        Assert.Equal(0.0400500m, decimal.Parse(spend["spent_usd"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal("0", spend["reserved_usd"]!.GetValue<string>());
        Assert.True(decimal.Parse(spend["spent_usd"]!.GetValue<string>(), CultureInfo.InvariantCulture) <= 0.05m);

        var next = await gateway.ChatAsync(secret, "priced", maxTokens: 1000);
        Assert.Equal(HttpStatusCode.PaymentRequired, next.StatusCode);
        Assert.Contains("key '" + id + "'", (await GatewayApi.ErrorAsync(next))["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_team_budget_holds_even_when_the_user_and_key_budgets_are_higher()
    {
        await using var upstream = await PricedUpstreamAsync(TimeSpan.Zero);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("priced", "openai", upstream, d => d.Model = PricedModel), anonymous: false);
        await gateway.CreateAsync("/api/teams", """{"id":"small","budget":{"max_usd":0.025,"window":"monthly"}}""");
        await gateway.CreateAsync("/api/users", """{"id":"bob","team":"small","budget":{"max_usd":10}}""");
        var (_, secret) = await gateway.CreateKeyAsync("""{"name":"bob's","user":"bob","budget":{"max_usd":10}}""");

        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(secret, "priced", maxTokens: 1000)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(secret, "priced", maxTokens: 1000)).StatusCode);
        var refused = await gateway.ChatAsync(secret, "priced", maxTokens: 1000);
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Contains("team 'small'", (await GatewayApi.ErrorAsync(refused))["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // A key of another user in the same team is refused too; the team is the shared wallet.
        await gateway.CreateAsync("/api/users", """{"id":"eve","team":"small"}""");
        var (_, other) = await gateway.CreateKeyAsync("""{"name":"eve's","user":"eve"}""");
        Assert.Equal(HttpStatusCode.PaymentRequired, (await gateway.ChatAsync(other, "priced", maxTokens: 1000)).StatusCode);
    }

    [Fact]
    public async Task Concurrency_limits_free_their_slot_when_the_client_goes_away()
    {
        await using var gateway = await TestGateway.StartAsync(SlowSandbox(TimeSpan.FromSeconds(30)), anonymous: false);
        var (_, secret) = await gateway.CreateKeyAsync("""{"name":"one-at-a-time","limits":{"max_concurrent":1}}""");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", secret);
        var slow = gateway.Client.SendAsync(request, cancel.Token);
        await Task.Delay(300, Ct);

        var second = await gateway.ChatAsync(secret);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("concurrency_limit_exceeded", (await GatewayApi.ErrorAsync(second))["code"]!.GetValue<string>());

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        HttpStatusCode status;
        do
        {
            await Task.Delay(50, Ct);
            using var probe = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json") };
            probe.Headers.Authorization = new("Bearer", secret);
            using var shortWait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            shortWait.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                using var response = await gateway.Client.SendAsync(probe, HttpCompletionOption.ResponseHeadersRead, shortWait.Token);
                status = response.StatusCode;
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                status = HttpStatusCode.OK; // Admitted: it is now waiting on the slow sandbox.
            }
        }
        while (status == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline);

        Assert.NotEqual(HttpStatusCode.TooManyRequests, status);
    }

    [Fact]
    public async Task Model_group_and_global_limits_apply_to_every_caller()
    {
        await using var gateway = await TestGateway.StartAsync(o =>
        {
            o.ModelGroups["sandbox"].Limits = new Switchyard.Limits.RateLimits(3, null, null);
            o.Limits.Global = new Switchyard.Limits.RateLimits(null, null, 100);
        });
        for (var i = 0; i < 3; i++)
        {
            var ok = await gateway.ChatAsync(null);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal((2 - i).ToString(CultureInfo.InvariantCulture), ok.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        }

        var refused = await gateway.ChatAsync(null);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("model 'sandbox'", (await GatewayApi.ErrorAsync(refused))["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpriced_models_are_refused_under_a_hard_budget_unless_a_fallback_price_is_set()
    {
        await using var upstream = await PricedUpstreamAsync(TimeSpan.Zero);
        await using (var strict = await TestGateway.StartAsync(TestGateway.Upstream("mystery", "openai", upstream, d => d.Model = "mystery-model-7b"), anonymous: false))
        {
            var (_, hard) = await strict.CreateKeyAsync("""{"name":"hard","budget":{"max_usd":1}}""");
            var (_, soft) = await strict.CreateKeyAsync("""{"name":"soft","budget":{"max_usd":1,"mode":"soft"}}""");
            var refused = await strict.ChatAsync(hard, "mystery", maxTokens: 10);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("model_unpriced", (await GatewayApi.ErrorAsync(refused))["code"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, (await strict.ChatAsync(soft, "mystery", maxTokens: 10)).StatusCode);
        }

        await using var lenient = await TestGateway.StartAsync(o =>
        {
            TestGateway.Upstream("mystery", "openai", upstream, d => d.Model = "mystery-model-7b")(o);
            o.Limits.FallbackPrice = new Switchyard.Accounting.Pricing.PriceEntry("*", null, 1m, 1m, 1m, 2m, null, "test", "");
        }, anonymous: false);
        var (id, key) = await lenient.CreateKeyAsync("""{"name":"hard","budget":{"max_usd":1}}""");
        Assert.Equal(HttpStatusCode.OK, (await lenient.ChatAsync(key, "mystery", maxTokens: 1000)).StatusCode);
        // 5 in at $1/M + 1000 out at $2/M.
        Assert.Equal("0.002005", (await lenient.SendAsync(HttpMethod.Get, $"/api/keys/{id}")).Body!["spend"]!["spent_usd"]!.GetValue<string>());
    }

    [Fact]
    public async Task Spend_is_reported_by_key_model_and_day_and_survives_a_restart()
    {
        await using var upstream = await PricedUpstreamAsync(TimeSpan.Zero);
        var data = TestGateway.NewDataDirectory();
        try
        {
            Action<SwitchyardOptions> configure = TestGateway.Upstream("priced", "openai", upstream, d => d.Model = PricedModel);
            string id, secret;
            await using (var first = await TestGateway.StartAsync(configure, anonymous: false, dataDirectory: data))
            {
                (id, secret) = await first.CreateKeyAsync("""{"name":"spender","budget":{"max_usd":0.025,"window":"total"}}""");
                Assert.Equal(HttpStatusCode.OK, (await first.ChatAsync(secret, "priced", maxTokens: 1000)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await first.ChatAsync(secret, "priced", maxTokens: 1000)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await first.ChatAsync(TestGateway.AdminSecret, "priced", maxTokens: 1000)).StatusCode);
                await first.Services.GetRequiredService<SpendLedger>().FlushAsync(Ct);

                var byKey = (await first.SendAsync(HttpMethod.Get, "/api/spend?group_by=key,model")).Body!;
                var rows = byKey["data"]!.AsArray();
                Assert.Equal(2, rows.Count);
                var mine = rows.Single(r => r!["key"]?.GetValue<string>() == id)!;
                Assert.Equal(2, mine["requests"]!.GetValue<long>());
                Assert.Equal("0.020025", mine["cost_usd"]!.GetValue<string>());
                Assert.Equal("priced", mine["model"]!.GetValue<string>());
                Assert.Equal("0.0300375", byKey["total"]!["cost_usd"]!.GetValue<string>());

                var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var byDay = (await first.SendAsync(HttpMethod.Get, $"/api/spend?group_by=day&key={id}&from={today}&to={today}")).Body!;
                Assert.Equal(today, byDay["data"]![0]!["day"]!.GetValue<string>());
                Assert.Equal(2000, byDay["data"]![0]!["output_tokens"]!.GetValue<long>());
            }

            await using var second = await TestGateway.StartAsync(configure, anonymous: false, dataDirectory: data);
            Assert.Equal("0.020025", (await second.SendAsync(HttpMethod.Get, $"/api/keys/{id}")).Body!["spend"]!["spent_usd"]!.GetValue<string>());
            // The budget remembers: $0.020025 spent, a third call could pass $0.025.
            Assert.Equal(HttpStatusCode.PaymentRequired, (await second.ChatAsync(secret, "priced", maxTokens: 1000)).StatusCode);
            Assert.Equal("0.0300375", (await second.SendAsync(HttpMethod.Get, "/api/spend")).Body!["total"]!["cost_usd"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>An OpenAI-compatible upstream that answers every chat with usage 5 in / 1000 out, naming the model it was asked for.</summary>
    private static async Task<FakeUpstream> PricedUpstreamAsync(TimeSpan delay)
    {
        var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async (http, received) =>
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, http.RequestAborted);
            }

            var model = received.Json["model"]!.GetValue<string>();
            await UpstreamReplies.Json(http, $$$"""{"id":"c1","object":"chat.completion","created":1,"model":"{{{model}}}","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1000,"total_tokens":1005}}""");
        };
        return upstream;
    }
}
