using Switchyard.Configuration;
using Xunit;

namespace Switchyard.Tests.Caching;

public sealed class CacheConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchyard-cache-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Cache_settings_and_group_overrides_bind()
    {
        var options = Load("""
            cache:
              exact: true
              scope: team
              ttl: 2h
              max_entries: 500
              max_memory_mb: 64
              max_entry_kb: 128
              max_temperature: 0.3
              side_effect_tools: [send_email, charge_card]
              semantic: true
              similarity_threshold: 0.9
              semantic_index_queue: 64
              semantic_lookup_budget: 25ms
            model_groups:
              m:
                cache: { exact: false, semantic: false, ttl: 5m, max_entries: 20, max_memory_mb: 2 }
                deployments:
                  - provider: sandbox
            """);

        var c = options.Cache;
        Assert.Equal((true, CacheScope.Team, TimeSpan.FromHours(2), 500, 64L * 1024 * 1024, 128 * 1024, 0.3), (c.Exact!.Value, c.Scope, c.Ttl, c.MaxEntries, c.MaxBytes, c.MaxEntryBytes, c.MaxTemperature!.Value));
        Assert.Equal(["send_email", "charge_card"], c.SideEffectTools);
        Assert.Equal((false, TimeSpan.FromMinutes(5)), (options.ModelGroups["m"].Cache.Exact!.Value, options.ModelGroups["m"].Cache.Ttl!.Value));
        Assert.Equal((true, 0.9), (c.Semantic!.Value, c.SimilarityThreshold));
        Assert.Equal((64, TimeSpan.FromMilliseconds(25)), (c.SemanticIndexQueue, c.SemanticLookupBudget));
        var g = options.ModelGroups["m"].Cache;
        Assert.Equal((false, 20, 2L * 1024 * 1024), (g.Semantic!.Value, g.MaxEntries!.Value, g.MaxBytes!.Value));
    }

    [Fact]
    public void Bad_cache_settings_are_reported_with_their_key()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load("""
            cache:
              exact: sometimes
              scope: everyone
              max_entries: 0
              max_temperature: hot
              similarity_threshold: 1.5
              semantic: maybe
              semantic_index_queue: 0
              semantic_lookup_budget: 1m
              colour: red
            model_groups:
              m:
                cache: { ttl: soon, max_entries: -1, shape: round }
                deployments:
                  - provider: sandbox
            """));
        var all = string.Join("\n", ex.Errors);
        Assert.Contains("cache.exact: 'sometimes' is not true or false", all);
        Assert.Contains("cache.scope: 'everyone' is not key, team or global", all);
        Assert.Contains("cache.max_entries: 0 is out of range", all);
        Assert.Contains("cache.max_temperature: 'hot' is not a temperature", all);
        Assert.Contains("cache.colour: unknown key", all);
        Assert.Contains("model_groups.m.cache.ttl: 'soon' is not a duration", all);
        Assert.Contains("cache.similarity_threshold: '1.5' is not a cosine similarity", all);
        Assert.Contains("cache.semantic: 'maybe' is not true or false", all);
        Assert.Contains("cache.semantic_index_queue: 0 is out of range", all);
        Assert.Contains("cache.semantic_lookup_budget: must be from 0 to 10s", all);
        Assert.Contains("model_groups.m.cache.max_entries: -1 is out of range", all);
        Assert.Contains("model_groups.m.cache.shape: unknown key", all);
    }

    [Fact]
    public void The_semantic_queue_and_budget_default_to_1024_and_10ms()
    {
        var c = Load("model_groups: { m: { deployments: [ { provider: sandbox } ] } }").Cache;
        Assert.Equal((1024, TimeSpan.FromMilliseconds(10)), (c.SemanticIndexQueue, c.SemanticLookupBudget));
    }

    private SwitchyardOptions Load(string yaml)
    {
        var path = Path.Combine(_dir, "switchyard.yaml");
        File.WriteAllText(path, yaml);
        return new ConfigLoader(_ => null).Load(path, []);
    }
}
