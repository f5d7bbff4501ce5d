using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>The caches (<c>cache:</c>), gateway-wide; model groups may override the switches, the TTL and the bounds.</summary>
internal sealed class CacheOptions
{
    /// <summary>Null: on without a config file (so a new user sees it work), off with one unless stated.</summary>
    [ConfigurationKeyName("exact")]
    public bool? Exact { get; set; }

    /// <summary>The semantic cache; null as for <see cref="Exact"/>.</summary>
    [ConfigurationKeyName("semantic")]
    public bool? Semantic { get; set; }

    /// <summary>
    /// The cosine similarity (all-MiniLM-L6-v2) from which a request may be served another's answer, when
    /// no veto applies. 0.85 is where the labelled set's paraphrases hit 2 times in 3 with false hits under 1 %.
    /// </summary>
    [ConfigurationKeyName("similarity_threshold"), ConfigValue(Min = 0, MinExclusive = true, Max = 1, Invalid = "'{0}' is not a cosine similarity above 0 and at most 1.")]
    public double SimilarityThreshold { get; set; } = 0.85;

    /// <summary>
    /// How many stored answers may wait for their embedding: a miss is indexed after its answer, by one
    /// background worker, so the call never waits for the model; beyond this the entry is served by the
    /// exact cache only (counted), rather than the queue growing without bound under load.
    /// </summary>
    [ConfigurationKeyName("semantic_index_queue"), ConfigValue(Min = 1, Max = 1_000_000)]
    public int SemanticIndexQueue { get; set; } = 1024;

    /// <summary>
    /// The most a semantic lookup may add to a call: when the embeddings already under way would make it
    /// wait longer, the call goes on as an exact-cache-only miss. 10 ms is about three MiniLM embeddings.
    /// </summary>
    [ConfigurationKeyName("semantic_lookup_budget")]
    public TimeSpan SemanticLookupBudget { get; set; } = TimeSpan.FromMilliseconds(10);

    [ConfigurationKeyName("scope"), ConfigValue(Invalid = "'{0}' is not key, team or global.")]
    public CacheScope Scope { get; set; } = CacheScope.Key;

    [ConfigurationKeyName("ttl")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    [ConfigurationKeyName("max_entries"), ConfigValue(Min = 1, Max = 100_000_000)]
    public int MaxEntries { get; set; } = 100_000;

    [ConfigurationKeyName("max_memory_mb"), ConfigValue(Min = 1, Max = 1_000_000, Unit = 1024 * 1024)]
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest single answer stored; bigger ones are served and not cached.</summary>
    [ConfigurationKeyName("max_entry_kb"), ConfigValue(Min = 1, Max = 1024 * 1024, Unit = 1024)]
    public int MaxEntryBytes { get; set; } = 1024 * 1024;

    /// <summary>Requests with a higher temperature (absent counts as 1) are not cached; null caches any temperature.</summary>
    [ConfigurationKeyName("max_temperature"), ConfigValue(Min = 0, Max = 2, Invalid = "'{0}' is not a temperature from 0 to 2.")]
    public double? MaxTemperature { get; set; }

    /// <summary>Tool names whose calls act on the world: a request offering one is never cached.</summary>
    [ConfigurationKeyName("side_effect_tools"), ConfigValue(CommaList = true)]
    public List<string> SideEffectTools { get; set; } = [];
}
