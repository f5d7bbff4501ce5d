using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Configuration;
using Switchyard.Hosting;
using Switchyard.Providers;
using Switchyard.Providers.Sandbox;
using Switchyard.Routing;
using Xunit;

namespace Switchyard.Tests.Routing;

/// <summary>The parts of routing that are pure logic: strategies, the retry budget, failure classes, headroom.</summary>
public sealed class RoutingLogicTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    // Seeded per test (xUnit makes a new instance for each): the statistical checks draw the same numbers every run.
    private readonly RandomSource _random = RandomSource.Seeded(2026);

    [Fact]
    public void Round_robin_takes_each_deployment_in_turn_and_skips_the_unavailable()
    {
        var group = Group(LoadBalancing.RoundRobin, 3);
        var picks = Enumerable.Range(0, 6).Select(_ => DeploymentPicker.Pick(group, 0b111, false, Now, _random)!.Name).ToArray();
        Assert.Equal(["d0", "d1", "d2", "d0", "d1", "d2"], picks);
        Assert.All(Enumerable.Range(0, 4), _ => Assert.NotEqual("d1", DeploymentPicker.Pick(group, 0b101, false, Now, _random)!.Name));
    }

    [Fact]
    public void Weighted_follows_the_weights()
    {
        var group = Group(LoadBalancing.Weighted, 2, weights: [1, 3]);
        var heavy = Enumerable.Range(0, 4000).Count(_ => DeploymentPicker.Pick(group, 0b11, false, Now, _random)!.Name == "d1");
        Assert.InRange(heavy, 2800, 3200); // 75 %
    }

    [Fact]
    public void Least_busy_picks_the_deployment_with_fewest_calls_in_flight()
    {
        var group = Group(LoadBalancing.LeastBusy, 3);
        group.Deployments[0].Health.Enter();
        group.Deployments[0].Health.Enter();
        group.Deployments[1].Health.Enter();
        Assert.Equal("d2", DeploymentPicker.Pick(group, 0b111, false, Now, _random)!.Name);
        group.Deployments[2].Health.Enter();
        group.Deployments[2].Health.Enter();
        Assert.Equal("d1", DeploymentPicker.Pick(group, 0b111, false, Now, _random)!.Name);
    }

    [Fact]
    public void Lowest_latency_measures_the_unmeasured_first_then_prefers_the_fastest_and_still_explores()
    {
        var group = Group(LoadBalancing.LowestLatency, 2, exploration: 0.1);
        group.Deployments[0].Health.ObserveLatency(TimeSpan.FromMilliseconds(50));
        Assert.Equal("d1", DeploymentPicker.Pick(group, 0b11, false, Now, _random)!.Name); // never measured

        group.Deployments[1].Health.ObserveLatency(TimeSpan.FromMilliseconds(400));
        var fast = Enumerable.Range(0, 2000).Count(_ => DeploymentPicker.Pick(group, 0b11, false, Now, _random)!.Name == "d0");
        Assert.InRange(fast, 1850, 1990); // 95 % plus half of the 5 % random exploration

        // Streams go by time to first token: d1 starts streaming sooner.
        group.Deployments[0].Health.ObserveFirstToken(TimeSpan.FromMilliseconds(300));
        group.Deployments[1].Health.ObserveFirstToken(TimeSpan.FromMilliseconds(20));
        var firstToken = Enumerable.Range(0, 2000).Count(_ => DeploymentPicker.Pick(group, 0b11, true, Now, _random)!.Name == "d1");
        Assert.InRange(firstToken, 1850, 1990);
    }

    [Fact]
    public void The_moving_average_follows_a_deployment_that_slows_down()
    {
        var health = Group(LoadBalancing.LowestLatency, 1).Deployments[0].Health;
        health.ObserveLatency(TimeSpan.FromMilliseconds(10));
        for (var i = 0; i < 20; i++)
        {
            health.ObserveLatency(TimeSpan.FromMilliseconds(100));
        }

        Assert.InRange(health.LatencyMs, 95, 100);
    }

    [Fact]
    public void Lowest_cost_picks_the_cheapest_priced_deployment()
    {
        var group = Group(LoadBalancing.LowestCost, 3, prices: [12.5m, 0.75m, decimal.MaxValue]);
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal("d1", DeploymentPicker.Pick(group, 0b111, false, Now, _random)!.Name));
        Assert.Equal("d0", DeploymentPicker.Pick(group, 0b101, false, Now, _random)!.Name); // priced beats unknown
    }

    [Fact]
    public void Most_headroom_follows_the_upstream_rate_limit_headers_until_they_reset()
    {
        var group = Group(LoadBalancing.MostHeadroom, 2);
        group.Deployments[0].Health.ObserveRateLimit(new RateLimitHeadroom(0.05, TimeSpan.FromSeconds(20)), Now);
        group.Deployments[1].Health.ObserveRateLimit(new RateLimitHeadroom(0.6, null), Now);
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal("d1", DeploymentPicker.Pick(group, 0b11, false, Now, _random)!.Name));

        // After d0's window resets its figure is stale and counts as full again.
        var later = Now.AddSeconds(21);
        Assert.Equal(1.0, group.Deployments[0].Health.Headroom(later));
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal("d0", DeploymentPicker.Pick(group, 0b11, false, later, _random)!.Name));
    }

    [Fact]
    public void Rate_limit_headers_of_OpenAI_and_Anthropic_give_the_scarcer_share()
    {
        using var openai = new HttpResponseMessage();
        openai.Headers.TryAddWithoutValidation("x-ratelimit-limit-requests", "10000");
        openai.Headers.TryAddWithoutValidation("x-ratelimit-remaining-requests", "9000");
        openai.Headers.TryAddWithoutValidation("x-ratelimit-limit-tokens", "1000000");
        openai.Headers.TryAddWithoutValidation("x-ratelimit-remaining-tokens", "250000");
        openai.Headers.TryAddWithoutValidation("x-ratelimit-reset-tokens", "6m0s");
        var headroom = RateLimitHeadroom.Read(openai.Headers, Now);
        Assert.Equal(0.25, headroom.Fraction);
        Assert.Equal(TimeSpan.FromMinutes(6), headroom.ResetIn);

        using var anthropic = new HttpResponseMessage();
        anthropic.Headers.TryAddWithoutValidation("anthropic-ratelimit-requests-limit", "50");
        anthropic.Headers.TryAddWithoutValidation("anthropic-ratelimit-requests-remaining", "5");
        anthropic.Headers.TryAddWithoutValidation("anthropic-ratelimit-requests-reset", "2026-11-27T12:00:30Z");
        headroom = RateLimitHeadroom.Read(anthropic.Headers, Now);
        Assert.Equal(0.1, headroom.Fraction);
        Assert.Equal(TimeSpan.FromSeconds(30), headroom.ResetIn);

        using var none = new HttpResponseMessage();
        none.Headers.TryAddWithoutValidation("x-ratelimit-remaining-requests", "not a number");
        Assert.Null(RateLimitHeadroom.Read(none.Headers, Now).Fraction);
    }

    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("6m0s", 360000)]
    [InlineData("1h2m3.5s", 3723500)]
    [InlineData("20ms", 20)]
    public void Go_durations_parse(string text, double ms) => Assert.Equal(TimeSpan.FromMilliseconds(ms), RateLimitHeadroom.ParseGoDuration(text));

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5x")]
    [InlineData("1.2.3s")]
    public void Bad_go_durations_do_not_parse(string text) => Assert.Null(RateLimitHeadroom.ParseGoDuration(text));

    [Fact]
    public void The_retry_budget_allows_its_share_plus_the_floor_and_refills_as_the_window_moves()
    {
        var time = new FakeTimeProvider(Now);
        var budget = new RetryBudget(new RetryBudgetOptions { Ratio = 0.2, MinPerSecond = 1, Window = TimeSpan.FromSeconds(10) }, time);
        for (var i = 0; i < 100; i++)
        {
            budget.OnCall();
        }

        var granted = Enumerable.Range(0, 100).Count(_ => budget.TryRetry());
        Assert.Equal(30, granted); // 20 % of 100 calls + 1 per second × 10 s

        time.Advance(TimeSpan.FromSeconds(11)); // the window has moved past all of it
        Assert.Equal(10, Enumerable.Range(0, 100).Count(_ => budget.TryRetry()));
    }

    [Theory]
    [InlineData(429, "", "rate_limited", true)]
    [InlineData(500, "", "server_error", true)]
    [InlineData(503, "", "server_error", true)]
    [InlineData(408, "", "retryable_status", true)]
    [InlineData(400, """{"error":{"code":"context_length_exceeded","message":"This model's maximum context length is 8192 tokens."}}""", "context_window", false)]
    [InlineData(400, """{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}""", "context_window", false)]
    [InlineData(400, """{"error":{"code":"content_filter","message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy."}}""", "content_policy", false)]
    [InlineData(400, """{"error":{"code":"content_policy_violation","message":"rejected by our safety system"}}""", "content_policy", false)]
    [InlineData(400, """{"error":{"code":"invalid_value","message":"bad temperature"}}""", "client_error", false)]
    [InlineData(401, "", "client_error", false)]
    [InlineData(403, "", "client_error", false)]
    [InlineData(404, "", "client_error", false)]
    public void Upstream_errors_are_classified_for_retry_and_fallback(int status, string body, string expected, bool retryable)
    {
        var reason = FailureReasons.Classify(status, Encoding.UTF8.GetBytes(body));
        Assert.Equal(expected, reason.Label());
        Assert.Equal(retryable, reason.IsRetryable());
    }

    [Fact]
    public void Timeouts_and_broken_connections_are_retryable_faults_but_a_retryable_status_is_not_the_deployments_fault()
    {
        Assert.All(new[] { FailureReason.Timeout, FailureReason.FirstTokenTimeout, FailureReason.IdleTimeout, FailureReason.Unreachable, FailureReason.Broken, FailureReason.ServerError, FailureReason.RateLimited },
            r => Assert.True(r.IsRetryable() && r.IsDeploymentFault()));
        Assert.False(FailureReason.RetryableStatus.IsDeploymentFault());
        Assert.False(FailureReason.ClientError.IsDeploymentFault());
    }

    private static ModelGroup Group(LoadBalancing strategy, int count, int[]? weights = null, decimal[]? prices = null, double exploration = 0.05)
    {
        var routing = new RoutingOptions { Strategy = strategy, Exploration = exploration };
        var adapter = new SandboxAdapter(TimeProvider.System, RandomSource.Seeded(7));
        var deployments = Enumerable.Range(0, count).Select(i =>
        {
            var options = new DeploymentOptions { Name = $"d{i}", Provider = "openai", Model = "m", Weight = weights?[i] ?? 1 };
            var health = new DeploymentHealth(new DeploymentBreaker(options.Name, routing.Breaker, TimeProvider.System, RoutingMetrics.Unobserved));
            return new Deployment("g", options, adapter, health, i, prices?[i] ?? 1m);
        }).ToArray();
        return new ModelGroup("g", deployments, GroupRouting.For(new ModelGroupOptions(), routing, TimeProvider.System));
    }
}
