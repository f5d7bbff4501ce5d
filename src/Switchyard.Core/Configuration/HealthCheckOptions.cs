namespace Switchyard.Configuration;

/// <summary>Active health checks: a one-token call to every deployment each <see cref="Interval"/>; off when zero.</summary>
internal sealed class HealthCheckOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.Zero;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed checks in a row that take a deployment out; one success brings it back.</summary>
    public int FailuresToIsolate { get; set; } = 2;

    public bool Enabled => Interval > TimeSpan.Zero;
}
