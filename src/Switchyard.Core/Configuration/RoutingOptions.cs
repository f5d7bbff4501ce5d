using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>Gateway-wide defaults for routing: balancing, retries, the retry budget, breakers and health checks.</summary>
internal sealed class RoutingOptions
{
    public const string StrategyProblem = "unknown strategy '{0}' (expected weighted, round_robin, least_busy, lowest_latency, lowest_cost or most_headroom).";

    [ConfigurationKeyName("strategy"), ConfigValue(Invalid = StrategyProblem)]
    public LoadBalancing Strategy { get; set; } = LoadBalancing.Weighted;

    /// <summary>Retries after the first attempt within one model group (fallback groups get their own).</summary>
    [ConfigurationKeyName("max_retries"), ConfigValue(Min = 0, Max = 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Backoff before retrying the same deployment: full jitter over <c>base × 2^n</c>, capped by <see cref="RetryMaxDelay"/>.</summary>
    [ConfigurationKeyName("retry_base_delay")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [ConfigurationKeyName("retry_max_delay")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Longest <c>Retry-After</c> a retry waits for; beyond it the deployment is given up for this call.</summary>
    [ConfigurationKeyName("max_retry_wait")]
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Chance that <see cref="LoadBalancing.LowestLatency"/> tries a deployment at random, so a recovered one is seen again.</summary>
    [ConfigurationKeyName("exploration")]
    public double Exploration { get; set; } = 0.05;

    [ConfigurationKeyName("retry_budget")]
    public RetryBudgetOptions RetryBudget { get; set; } = new();

    [ConfigurationKeyName("breaker")]
    public BreakerOptions Breaker { get; set; } = new();

    [ConfigurationKeyName("health_checks")]
    public HealthCheckOptions HealthChecks { get; set; } = new();
}
