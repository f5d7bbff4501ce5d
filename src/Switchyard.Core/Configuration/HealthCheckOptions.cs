using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>Active health checks: a one-token call to every deployment each <see cref="Interval"/>; off when zero.</summary>
internal sealed class HealthCheckOptions
{
    [ConfigurationKeyName("interval")]
    public TimeSpan Interval { get; set; } = TimeSpan.Zero;

    [ConfigurationKeyName("timeout")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed checks in a row that take a deployment out; one success brings it back.</summary>
    [ConfigurationKeyName("failures_to_isolate"), ConfigValue(Min = 1, Max = 100)]
    public int FailuresToIsolate { get; set; } = 2;

    public bool Enabled => Interval > TimeSpan.Zero;
}
