using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>The keys of a rate limit (<c>limits.global</c>, <c>model_groups.&lt;name&gt;.limits</c>), each a positive whole number or absent.</summary>
internal sealed class RateLimitSection
{
    [ConfigurationKeyName("rpm"), ConfigValue(Min = 1)]
    public long? Rpm { get; set; }

    [ConfigurationKeyName("tpm"), ConfigValue(Min = 1)]
    public long? Tpm { get; set; }

    [ConfigurationKeyName("max_concurrent"), ConfigValue(Min = 1)]
    public int? MaxConcurrent { get; set; }

    public Limits.RateLimits ToRateLimits() => new(Rpm, Tpm, MaxConcurrent);
}
