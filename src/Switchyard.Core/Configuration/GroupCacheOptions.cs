using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary><c>model_groups.&lt;name&gt;.cache</c>: overrides for one group.</summary>
internal sealed class GroupCacheOptions
{
    [ConfigurationKeyName("exact")]
    public bool? Exact { get; set; }

    [ConfigurationKeyName("semantic")]
    public bool? Semantic { get; set; }

    [ConfigurationKeyName("ttl")]
    public TimeSpan? Ttl { get; set; }

    /// <summary>Bounds on this group's share of the cache; the cache-wide bounds hold as well.</summary>
    [ConfigurationKeyName("max_entries"), ConfigValue(Min = 1, Max = 100_000_000)]
    public int? MaxEntries { get; set; }

    [ConfigurationKeyName("max_memory_mb"), ConfigValue(Min = 1, Max = 1_000_000, Unit = 1024 * 1024)]
    public long? MaxBytes { get; set; }
}
