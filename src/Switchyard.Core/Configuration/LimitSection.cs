using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>
/// The keys of <c>limits</c> as written: <see cref="LimitOptions"/> holds a time zone and a price entry, which
/// the binder cannot create, so this is bound and <see cref="ConfigLoader"/> converts it.
/// </summary>
internal sealed class LimitSection
{
    [ConfigurationKeyName("global")]
    public RateLimitSection? Global { get; set; }

    [ConfigurationKeyName("estimated_output_tokens"), ConfigValue(Min = 0, Max = 10_000_000)]
    public long? EstimatedOutputTokens { get; set; }

    [ConfigurationKeyName("budget_time_zone")]
    public string? BudgetTimeZone { get; set; }

    [ConfigurationKeyName("fallback_price")]
    public FallbackPriceSection? FallbackPrice { get; set; }
}
