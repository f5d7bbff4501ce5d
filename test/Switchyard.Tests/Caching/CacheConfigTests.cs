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
            model_groups:
              m:
                cache: { exact: false, ttl: 5m }
                deployments:
                  - provider: sandbox
            """);

        var c = options.Cache;
        Assert.Equal((true, CacheScope.Team, TimeSpan.FromHours(2), 500, 64L * 1024 * 1024, 128 * 1024, 0.3), (c.Exact!.Value, c.Scope, c.Ttl, c.MaxEntries, c.MaxBytes, c.MaxEntryBytes, c.MaxTemperature!.Value));
        Assert.Equal(["send_email", "charge_card"], c.SideEffectTools);
        Assert.Equal((false, TimeSpan.FromMinutes(5)), (options.ModelGroups["m"].Cache.Exact!.Value, options.ModelGroups["m"].Cache.Ttl!.Value));
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
              colour: red
            model_groups:
              m:
                cache: { ttl: soon }
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
    }

    private SwitchyardOptions Load(string yaml)
    {
        var path = Path.Combine(_dir, "switchyard.yaml");
        File.WriteAllText(path, yaml);
        return new ConfigLoader(_ => null).Load(path, []);
    }
}
