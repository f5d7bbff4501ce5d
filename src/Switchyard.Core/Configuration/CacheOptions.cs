namespace Switchyard.Configuration;

/// <summary>The caches (<c>cache:</c>), gateway-wide; model groups may override the switches, the TTL and the bounds.</summary>
internal sealed class CacheOptions
{
    /// <summary>Null: on without a config file (so a new user sees it work), off with one unless stated.</summary>
    public bool? Exact { get; set; }

    /// <summary>The semantic cache; null as for <see cref="Exact"/>.</summary>
    public bool? Semantic { get; set; }

    /// <summary>
    /// The cosine similarity (all-MiniLM-L6-v2) from which a request may be served another's answer, when
    /// no veto applies. 0.85 is where the labelled set's paraphrases hit 2 times in 3 with false hits under 1 %.
    /// </summary>
    public double SimilarityThreshold { get; set; } = 0.85;

    public CacheScope Scope { get; set; } = CacheScope.Key;

    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    public int MaxEntries { get; set; } = 100_000;

    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest single answer stored; bigger ones are served and not cached.</summary>
    public int MaxEntryBytes { get; set; } = 1024 * 1024;

    /// <summary>Requests with a higher temperature (absent counts as 1) are not cached; null caches any temperature.</summary>
    public double? MaxTemperature { get; set; }

    /// <summary>Tool names whose calls act on the world: a request offering one is never cached.</summary>
    public List<string> SideEffectTools { get; set; } = [];
}
