using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>A circuit breaker per deployment, over Polly's sliding window.</summary>
internal sealed class BreakerOptions
{
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Failed share of the calls in <see cref="SamplingDuration"/> that opens the breaker.</summary>
    [ConfigurationKeyName("failure_ratio")]
    public double FailureRatio { get; set; } = 0.5;

    [ConfigurationKeyName("sampling_duration")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls needed in the window before the ratio counts.</summary>
    [ConfigurationKeyName("minimum_throughput"), ConfigValue(Min = 2, Max = 1_000_000)]
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>How long an open breaker keeps the deployment out before one probe call is let through.</summary>
    [ConfigurationKeyName("break_duration")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
