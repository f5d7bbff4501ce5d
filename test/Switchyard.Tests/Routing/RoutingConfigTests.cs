using Switchyard.Configuration;
using Xunit;

namespace Switchyard.Tests.Routing;

public sealed class RoutingConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchyard-routing-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Routing_defaults_group_overrides_and_deployment_timeouts_bind()
    {
        var options = Load("""
            routing:
              strategy: lowest_latency
              max_retries: 3
              retry_base_delay: 100ms
              retry_max_delay: 4s
              max_retry_wait: 10s
              exploration: 0.1
              retry_budget: { ratio: 0.3, min_per_second: 2, window: 20s }
              breaker: { failure_ratio: 0.4, sampling_duration: 10s, minimum_throughput: 5, break_duration: 15s }
              health_checks: { interval: 30s, timeout: 3s, failures_to_isolate: 3 }
            model_groups:
              big:
                deployments:
                  - provider: sandbox
              small:
                strategy: round-robin
                max_retries: 0
                fallbacks: [big]
                context_window_fallbacks: big
                content_policy_fallbacks: [big]
                deployments:
                  - provider: sandbox
                    timeout: 30s
                    connect_timeout: 2s
                    first_token_timeout: 5s
                    idle_timeout: 20s
            """);

        var r = options.Routing;
        Assert.Equal(LoadBalancing.LowestLatency, r.Strategy);
        Assert.Equal(3, r.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(100), r.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(4), r.RetryMaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), r.MaxRetryWait);
        Assert.Equal(0.1, r.Exploration);
        Assert.Equal((0.3, 2, TimeSpan.FromSeconds(20)), (r.RetryBudget.Ratio, r.RetryBudget.MinPerSecond, r.RetryBudget.Window));
        Assert.Equal((0.4, TimeSpan.FromSeconds(10), 5, TimeSpan.FromSeconds(15)), (r.Breaker.FailureRatio, r.Breaker.SamplingDuration, r.Breaker.MinimumThroughput, r.Breaker.BreakDuration));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3), 3), (r.HealthChecks.Interval, r.HealthChecks.Timeout, r.HealthChecks.FailuresToIsolate));

        var small = options.ModelGroups["small"];
        Assert.Equal(LoadBalancing.RoundRobin, small.Strategy);
        Assert.Equal(0, small.MaxRetries);
        Assert.Equal(["big"], small.Fallbacks);
        Assert.Equal(["big"], small.ContextWindowFallbacks);
        Assert.Equal(["big"], small.ContentPolicyFallbacks);
        var d = small.Deployments[0];
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20)), (d.Timeout, d.ConnectTimeout, d.FirstTokenTimeout!.Value, d.IdleTimeout!.Value));
        Assert.Null(options.ModelGroups["big"].Strategy);
    }

    [Fact]
    public void Bad_routing_settings_are_each_reported_with_their_key()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load("""
            routing:
              strategy: fastest
              max_retries: 11
              retry_base_delay: 5s
              retry_max_delay: 1s
              breaker: { failure_ratio: 0, break_duration: 1ms, colour: red }
              health_checks: { interval: 100ms }
            model_groups:
              a:
                fallbacks: [a, nowhere]
                strategy: 3
                deployments:
                  - provider: sandbox
                    idle_timeout: 0s
            """));

        var all = string.Join("\n", ex.Errors);
        Assert.Contains("routing.strategy: unknown strategy 'fastest'", all);
        Assert.Contains("routing.max_retries: 11 is out of range", all);
        Assert.Contains("routing.retry_max_delay: must not be shorter", all);
        Assert.Contains("routing.breaker.failure_ratio: must be above 0", all);
        Assert.Contains("routing.breaker.break_duration: must be from 500ms", all);
        Assert.Contains("routing.breaker.colour: unknown key", all);
        Assert.Contains("routing.health_checks.interval: must be 0 (off) or at least 1s", all);
        Assert.Contains("model_groups.a.fallbacks: a group cannot fall back to itself", all);
        Assert.Contains("model_groups.a.fallbacks: 'nowhere' is not a model group", all);
        Assert.Contains("model_groups.a.strategy: unknown strategy '3'", all);
        Assert.Contains("model_groups.a.deployments[0].idle_timeout: must be from 1ms to 1d", all);
    }

    private SwitchyardOptions Load(string yaml)
    {
        var path = Path.Combine(_dir, "switchyard.yaml");
        File.WriteAllText(path, yaml);
        return new ConfigLoader(_ => null).Load(path, []);
    }
}
