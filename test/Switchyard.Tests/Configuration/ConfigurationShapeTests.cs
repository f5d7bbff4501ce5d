using Switchyard.Configuration;
using Xunit;

namespace Switchyard.Tests.Configuration;

/// <summary>What the checks before the generated binder add: every problem at once, each under its key, and the environment variable that set it.</summary>
public sealed class ConfigurationShapeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchyard-shape-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_unknown_section_and_misshapen_section_is_reported()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load("servr:\n  urls: x\nbogus: 1\nserver: 5\n"));

        Assert.Contains(ex.Errors, e => e.StartsWith("servr: unknown key (expected one of server, auth,", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("bogus: unknown key", StringComparison.Ordinal));
        Assert.Contains("server: must be a mapping with urls, data, max_request_body_bytes, max_json_depth, max_messages, shutdown_timeout and discovery_timeout.", ex.Errors);
        Assert.Equal(3, ex.Errors.Count);
    }

    [Fact]
    public void A_mapping_of_names_written_as_one_value_is_reported()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load("telemetry:\n  otlp_headers: x-api-key=secret\n"));

        Assert.Equal(["telemetry.otlp_headers: must be a mapping of names, not a single value."], ex.Errors);
    }

    [Fact]
    public void A_key_set_by_an_environment_variable_is_reported_with_the_variable()
    {
        var env = new Dictionary<string, string?>
        {
            ["SWITCHYARD_SERVER__MAX_JSON_DEPTH"] = "deep",
            ["SWITCHYARD_SERVER__URLZ"] = "http://127.0.0.1:6000",
            ["SWITCHYARD_MODEL_GROUPS__m__DEPLOYMENTS__0__WEIGHT"] = "-1",
        };

        var ex = Assert.Throws<ConfigurationException>(() => Load("model_groups:\n  m:\n    deployments:\n      - provider: sandbox\n", env));

        Assert.Contains("server.max_json_depth (from SWITCHYARD_SERVER__MAX_JSON_DEPTH): 'deep' is not a whole number.", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("server.URLZ (from SWITCHYARD_SERVER__URLZ): unknown key (expected one of urls, data,", StringComparison.Ordinal));
        Assert.Contains("model_groups.m.deployments[0].weight (from SWITCHYARD_MODEL_GROUPS__m__DEPLOYMENTS__0__WEIGHT): -1 is out of range (0..1000000).", ex.Errors);
        Assert.Equal(3, ex.Errors.Count);
    }

    [Fact]
    public void A_list_item_whose_values_all_fail_keeps_the_later_items_at_their_index()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load("""
            model_groups:
              m:
                deployments:
                  - weight: many
                    timeout: soon
                  - not a mapping
                  - provider: nope
                    model: x
            """));

        Assert.Contains("model_groups.m.deployments[0].weight: 'many' is not a whole number.", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("model_groups.m.deployments[1]: must be a mapping with name, provider, model,", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("model_groups.m.deployments[2].provider: unknown provider 'nope'", StringComparison.Ordinal));
        Assert.DoesNotContain(ex.Errors, e => e.StartsWith("model_groups.m.deployments[1].", StringComparison.Ordinal));
    }

    [Fact]
    public void A_value_already_reported_is_not_reported_again_for_its_default()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load("alerts:\n  webhooks:\n    - url: env:UNSET_HOOK\n"));

        Assert.Equal(["alerts.webhooks[0].url: refers to the environment variable UNSET_HOOK, which is not set."], ex.Errors);
    }

    [Fact]
    public void Comma_separated_names_drop_empty_entries_and_duplicates()
    {
        var options = Load("cache:\n  side_effect_tools: 'send_email, , charge_card, send_email,'\n");

        Assert.Equal(["send_email", "charge_card"], options.Cache.SideEffectTools);
    }

    [Fact]
    public void Yaml_spellings_bind_to_the_option_types()
    {
        var options = Load("""
            server:
              max_request_body_bytes: 2_000_000
              shutdown_timeout: 1.5m
            auth:
              require_key_for: [ready]
            routing:
              strategy: most-headroom
            telemetry:
              otlp_protocol: HTTP/Protobuf
            cache:
              max_memory_mb: 3
              max_entry_kb: 2
            """);

        Assert.Equal(2_000_000, options.Server.MaxRequestBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Server.ShutdownTimeout);
        Assert.Equal(ProtectedEndpoints.Ready, options.Auth.RequireKeyFor);
        Assert.Equal(LoadBalancing.MostHeadroom, options.Routing.Strategy);
        Assert.Equal(Switchyard.Telemetry.Out.OtlpProtocol.HttpProtobuf, options.Telemetry.OtlpProtocol);
        Assert.Equal((3L * 1024 * 1024, 2 * 1024), (options.Cache.MaxBytes, options.Cache.MaxEntryBytes));
    }

    private SwitchyardOptions Load(string yaml, Dictionary<string, string?>? env = null)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return new ConfigLoader(_ => null).Load(path, env ?? []);
    }
}
