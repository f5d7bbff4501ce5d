using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>
/// <c>guardrails.surge</c>: the alert sent through <c>alerts.webhooks</c> when a guard fires far more often
/// than it usually does (a possible attack).
/// </summary>
internal sealed class GuardrailSurgeOptions
{
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>How many times its trailing rate a guard's triggers must reach.</summary>
    [ConfigurationKeyName("factor"), ConfigValue(Min = 1, Max = 1000)]
    public double Factor { get; set; } = 5;

    /// <summary>The window the triggers are counted over, and how often they are checked.</summary>
    [ConfigurationKeyName("window")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The trailing history the usual rate is taken from, before the window.</summary>
    [ConfigurationKeyName("baseline")]
    public TimeSpan Baseline { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Fewer triggers than this in a window are never a surge, whatever the baseline (a quiet gateway's first few).</summary>
    [ConfigurationKeyName("min_triggers"), ConfigValue(Min = 1, Max = 1_000_000)]
    public int MinTriggers { get; set; } = 20;

    /// <summary>After an alert, the same guard alerts again no sooner than this.</summary>
    [ConfigurationKeyName("cooldown")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(1);
}
