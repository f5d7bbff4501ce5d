using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary><c>limits.fallback_price</c>: USD per million tokens.</summary>
internal sealed class FallbackPriceSection
{
    [ConfigurationKeyName("input_per_million"), ConfigValue(Min = 0)]
    public decimal? InputPerMillion { get; set; }

    [ConfigurationKeyName("output_per_million"), ConfigValue(Min = 0)]
    public decimal? OutputPerMillion { get; set; }
}
