using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>
/// Retries allowed across all calls: at most <see cref="Ratio"/> of the calls of the last
/// <see cref="Window"/>, plus <see cref="MinPerSecond"/>, so a provider that is down gets no retry storm.
/// </summary>
internal sealed class RetryBudgetOptions
{
    [ConfigurationKeyName("ratio")]
    public double Ratio { get; set; } = 0.2;

    [ConfigurationKeyName("min_per_second"), ConfigValue(Min = 0, Max = 1_000_000)]
    public int MinPerSecond { get; set; } = 10;

    [ConfigurationKeyName("window")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
