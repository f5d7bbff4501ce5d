namespace Switchyard.Configuration;

/// <summary>How a model group picks among its deployments (<c>strategy</c>).</summary>
internal enum LoadBalancing
{
    /// <summary>Random, in proportion to each deployment's <c>weight</c>.</summary>
    Weighted,

    /// <summary>Each deployment in turn.</summary>
    RoundRobin,

    /// <summary>The deployment with the fewest calls in flight through this gateway.</summary>
    LeastBusy,

    /// <summary>The lowest moving average of latency (time to first token for streams), exploring now and then.</summary>
    LowestLatency,

    /// <summary>The cheapest deployment by the price catalogue.</summary>
    LowestCost,

    /// <summary>The deployment whose upstream reported the most remaining rate limit (<c>x-ratelimit-remaining-*</c>).</summary>
    MostHeadroom,
}

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

/// <summary>
/// Retries allowed across all calls: at most <see cref="Ratio"/> of the calls of the last
/// <see cref="Window"/>, plus <see cref="MinPerSecond"/>, so a provider that is down gets no retry storm.
/// </summary>
internal sealed class RetryBudgetOptions
{
    public double Ratio { get; set; } = 0.2;

    public int MinPerSecond { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>A circuit breaker per deployment, over Polly's sliding window.</summary>
internal sealed class BreakerOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Failed share of the calls in <see cref="SamplingDuration"/> that opens the breaker.</summary>
    public double FailureRatio { get; set; } = 0.5;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls needed in the window before the ratio counts.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>How long an open breaker keeps the deployment out before one probe call is let through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Active health checks: a one-token call to every deployment each <see cref="Interval"/>; off when zero.</summary>
internal sealed class HealthCheckOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.Zero;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed checks in a row that take a deployment out; one success brings it back.</summary>
    public int FailuresToIsolate { get; set; } = 2;

    public bool Enabled => Interval > TimeSpan.Zero;
}
