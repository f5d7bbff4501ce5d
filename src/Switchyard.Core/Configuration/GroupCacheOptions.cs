namespace Switchyard.Configuration;

/// <summary><c>model_groups.&lt;name&gt;.cache</c>: overrides for one group.</summary>
internal sealed class GroupCacheOptions
{
    public bool? Exact { get; set; }

    public bool? Semantic { get; set; }

    public TimeSpan? Ttl { get; set; }

    /// <summary>Bounds on this group's share of the cache; the cache-wide bounds hold as well.</summary>
    public int? MaxEntries { get; set; }

    public long? MaxBytes { get; set; }
}
