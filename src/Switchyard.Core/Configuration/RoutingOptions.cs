namespace Switchyard.Configuration;

/// <summary>Gateway-wide defaults for routing: balancing, retries, the retry budget, breakers and health checks.</summary>
internal sealed class RoutingOptions
{
    public LoadBalancing Strategy { get; set; } = LoadBalancing.Weighted;

    /// <summary>Retries after the first attempt within one model group (fallback groups get their own).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Backoff before retrying the same deployment: full jitter over <c>base × 2^n</c>, capped by <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Longest <c>Retry-After</c> a retry waits for; beyond it the deployment is given up for this call.</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Chance that <see cref="LoadBalancing.LowestLatency"/> tries a deployment at random, so a recovered one is seen again.</summary>
    public double Exploration { get; set; } = 0.05;

    public RetryBudgetOptions RetryBudget { get; set; } = new();

    public BreakerOptions Breaker { get; set; } = new();

    public HealthCheckOptions HealthChecks { get; set; } = new();
}
