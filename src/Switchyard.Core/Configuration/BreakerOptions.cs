namespace Switchyard.Configuration;

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
