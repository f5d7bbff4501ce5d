using BenchmarkDotNet.Attributes;
using Switchyard.Configuration;
using Switchyard.Providers.Sandbox;
using Switchyard.Routing;

namespace Switchyard.Benchmarks;

/// <summary>
/// What routing adds per call before and around the upstream call: choosing among three deployments
/// (availability of each: breaker and cool-down; then the strategy), the retry budget's call count, and
/// running the attempt through the deployment's Polly circuit breaker. Baseline: awaiting the same
/// completed attempt directly.
/// </summary>
public class RoutingBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly Func<int, CancellationToken, ValueTask<AttemptResult>> s_attempt = static (_, _) => ValueTask.FromResult(AttemptResult.Answered);
    private ModelGroup _weighted = null!;
    private ModelGroup _latency = null!;
    private ModelGroup _leastBusy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _weighted = Group(LoadBalancing.Weighted);
        _latency = Group(LoadBalancing.LowestLatency);
        _leastBusy = Group(LoadBalancing.LeastBusy);
        for (var i = 0; i < 3; i++)
        {
            _latency.Deployments[i].Health.ObserveLatency(TimeSpan.FromMilliseconds(10 + i));
        }
    }

    [Benchmark(Baseline = true, Description = "await the attempt directly")]
    public async ValueTask<bool> Direct() => (await s_attempt(0, CancellationToken.None).ConfigureAwait(false)).Delivered;

    [Benchmark(Description = "attempt through the Polly circuit breaker")]
    public async ValueTask<bool> ThroughBreaker() =>
        (await _weighted.Deployments[0].Health.Breaker.ExecuteAsync(s_attempt, 0, CancellationToken.None).ConfigureAwait(false)).Delivered;

    [Benchmark(Description = "pick of 3, weighted")]
    public int PickWeighted() => DeploymentPicker.Pick(_weighted, DeploymentPicker.Available(_weighted, Now), false, Now, Switchyard.Hosting.RandomSource.Shared)!.Index;

    [Benchmark(Description = "pick of 3, lowest latency")]
    public int PickLowestLatency() => DeploymentPicker.Pick(_latency, DeploymentPicker.Available(_latency, Now), false, Now, Switchyard.Hosting.RandomSource.Shared)!.Index;

    [Benchmark(Description = "pick of 3, least busy")]
    public int PickLeastBusy() => DeploymentPicker.Pick(_leastBusy, DeploymentPicker.Available(_leastBusy, Now), false, Now, Switchyard.Hosting.RandomSource.Shared)!.Index;

    [Benchmark(Description = "retry budget: count a call")]
    public void BudgetCall() => _weighted.Budget.OnCall();

    private static ModelGroup Group(LoadBalancing strategy)
    {
        var routing = new RoutingOptions { Strategy = strategy };
        var adapter = new SandboxAdapter(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployments = Enumerable.Range(0, 3).Select(i =>
        {
            var options = new DeploymentOptions { Name = $"d{i}", Provider = "openai", Model = "m" };
            var health = new DeploymentHealth(new DeploymentBreaker(options.Name, routing.Breaker, TimeProvider.System, RoutingMetrics.Unobserved));
            return new Deployment("g", options, adapter, health, i, 1m);
        }).ToArray();
        return new ModelGroup("g", deployments, GroupRouting.For(new ModelGroupOptions(), routing, TimeProvider.System));
    }
}
