using Switchyard.Configuration;
using Xunit;

namespace Switchyard.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchyard-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_FullExample_BindsEveryKey()
    {
        var path = Write("""
            server:
              urls: http://127.0.0.1:5000
              data: /tmp/x
              max_request_body_bytes: 1_048_576
              max_json_depth: 32
              max_messages: 500
              shutdown_timeout: 10s
              discovery_timeout: 1500ms
            auth:
              admin_key: env:MY_ADMIN
            recording:
              enabled: false
              queue_capacity: 100
              batch_size: 10
              overflow: wait
              max_wait: 50ms
            model_groups:
              gpt-4o:
                deployments:
                  - name: primary
                    provider: openai
                    model: gpt-4o-2024-08-06
                    base_url: https://api.openai.com/v1
                    api_key: env:OPENAI_KEY
                    weight: 3
                    timeout: 2m
                    connect_timeout: 5
                    stream_usage: false
                    headers:
                      OpenAI-Organization: org-1
                  - provider: azure
                    model: my-deployment
                    base_url: https://res.openai.azure.com
                    api_key: env:AZURE_KEY
                    api_version: 2024-10-21
              claude:
                deployments:
                  - provider: anthropic
                    model: claude-sonnet-4-5
                    default_max_tokens: 2048
              fake:
                deployments:
                  - provider: sandbox
                    sandbox:
                      time_to_first_token: 200ms
                      inter_token_delay: 0.01
                      error_rate: 0.1
                      rate_limit_rate: 0.05
                      retry_after: 2s
                      hang_rate: 0.01
                      cut_stream_rate: 0.02
                      cut_after_chunks: 4
                      default_answer_tokens: 20
                      seed: 42
            """);
        var env = new Dictionary<string, string?> { ["MY_ADMIN"] = "admin-secret-0123456789abcdef0123456789", ["OPENAI_KEY"] = "sk-1", ["AZURE_KEY"] = "az-1" };

        var options = new ConfigLoader(name => env.GetValueOrDefault(name)).Load(path, []);

        Assert.Equal("http://127.0.0.1:5000", options.Server.Urls);
        Assert.Equal(1_048_576, options.Server.MaxRequestBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Server.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.Server.DiscoveryTimeout);
        Assert.Equal("admin-secret-0123456789abcdef0123456789", options.Auth.AdminKey);
        Assert.False(options.Recording.Enabled);
        Assert.Equal(OverflowMode.Wait, options.Recording.Overflow);
        var primary = options.ModelGroups["gpt-4o"].Deployments[0];
        Assert.Equal(("primary", "openai", "gpt-4o-2024-08-06", "sk-1", 3), (primary.Name, primary.Provider, primary.Model, primary.ApiKey, primary.Weight));
        Assert.Equal(TimeSpan.FromMinutes(2), primary.Timeout);
        Assert.False(primary.StreamUsage);
        Assert.Equal("org-1", primary.Headers["OpenAI-Organization"]);
        var azure = options.ModelGroups["gpt-4o"].Deployments[1];
        Assert.Equal("gpt-4o/azure#1", azure.Name);
        Assert.Equal("2024-10-21", azure.ApiVersion);
        Assert.Equal(2048, options.ModelGroups["claude"].Deployments[0].DefaultMaxTokens);
        var sandbox = options.ModelGroups["fake"].Deployments[0].Sandbox;
        Assert.Equal(TimeSpan.FromMilliseconds(200), sandbox.TimeToFirstToken);
        Assert.Equal(TimeSpan.FromMilliseconds(10), sandbox.InterTokenDelay);
        Assert.Equal(0.1, sandbox.ErrorRate);
        Assert.Equal(42, sandbox.Seed);
        Assert.Equal("fake", options.ModelGroups["fake"].Deployments[0].Model);
        Assert.False(options.DiscoverProviders);
    }

    [Fact]
    public void Load_EnvironmentVariables_OverrideAnyKey()
    {
        var path = Write("""
            server:
              urls: http://127.0.0.1:5000
            model_groups:
              m:
                deployments:
                  - provider: openai
                    model: a
            """);
        var env = new Dictionary<string, string?>
        {
            ["SWITCHYARD_SERVER__URLS"] = "http://127.0.0.1:6000",
            ["SWITCHYARD_MODEL_GROUPS__m__DEPLOYMENTS__0__MODEL"] = "b",
            ["SWITCHYARD_RECORDING__OVERFLOW"] = "drop",
            ["UNRELATED"] = "x",
        };

        var options = new ConfigLoader(_ => null).Load(path, env);

        Assert.Equal("http://127.0.0.1:6000", options.Server.Urls);
        Assert.Equal("b", options.ModelGroups["m"].Deployments[0].Model);
    }

    [Fact]
    public void Environment_overrides_that_name_no_known_key_are_reported()
    {
        var env = new Dictionary<string, string?>
        {
            ["SWITCHYARD_SERVR__URLS"] = "http://127.0.0.1:6000",
            ["SWITCHYARD_SERVER__URLZ"] = "http://127.0.0.1:6000",
            ["SWITCHYARD_ADMIN_KEY"] = "not an override: no double underscore",
        };

        var error = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(null, env));

        Assert.Contains(error.Errors, e => e.StartsWith("SWITCHYARD_SERVR__URLS: the environment variable names no known section ('servr';", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("urlz", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(error.Errors, e => e.StartsWith("server.urlz (from SWITCHYARD_SERVER__URLZ): unknown key", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, error.Errors.Count);
    }

    [Fact]
    public void Load_EveryProblem_ReportedWithItsKey_AndNoSecret()
    {
        var path = Write("""
            servr:
              urls: x
            model_groups:
              empty: {}
              bad:
                deployments:
                  - provider: nope
                    model: m
                    weight: -1
                    base_url: ftp://x
                    api_key: env:MISSING_VAR
                    timeout: soon
                    colour: red
                  - provider: azure
                    model: d
                    sandbox:
                      error_rate: 2
            """);

        var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(path, []));

        Assert.Contains(ex.Errors, e => e.StartsWith("servr: unknown key", StringComparison.Ordinal));
        Assert.Contains("model_groups.empty.deployments: a model group needs at least one deployment.", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("model_groups.bad.deployments[0].provider: unknown provider 'nope'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("model_groups.bad.deployments[0].weight: -1 is out of range", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("model_groups.bad.deployments[0].base_url:", StringComparison.Ordinal));
        Assert.Contains("model_groups.bad.deployments[0].api_key: refers to the environment variable MISSING_VAR, which is not set.", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("model_groups.bad.deployments[0].timeout: 'soon' is not a duration", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("model_groups.bad.deployments[0].colour: unknown key", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("model_groups.bad.deployments[1].base_url: required for azure", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("model_groups.bad.deployments[1].sandbox.error_rate:", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("model_groups.bad.deployments[1].sandbox: only sandbox deployments", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_InlineSecret_NeverAppearsInErrors()
    {
        var path = Write("""
            model_groups:
              m:
                deployments:
                  - provider: openai
                    api_key: sk-very-secret-value
            """);

        var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(path, []));

        Assert.DoesNotContain("sk-very-secret-value", ex.Message);
    }

    [Theory]
    [InlineData("key: [unclosed")]
    [InlineData("- just\n- a list")]
    public void Load_BrokenYaml_SaysWhere(string yaml)
    {
        var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(Write(yaml), []));

        Assert.Contains(".yaml", ex.Message);
    }

    [Fact]
    public void Load_BadPriceFile_ReportedUnderItsKey()
    {
        File.WriteAllText(Path.Combine(_dir, "p.yaml"), "prices:\n  - model: m\n    input: cheap\n");
        var path = Write("prices_file: p.yaml\n");

        var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(path, []));

        Assert.Contains(ex.Errors, e => e.StartsWith("prices_file: ", StringComparison.Ordinal) && e.Contains("input", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NoFile_DiscoversProviders()
    {
        var options = new ConfigLoader(_ => null).Load(null, []);

        Assert.True(options.DiscoverProviders);
        Assert.Equal(ServerOptions.DefaultUrls, options.Server.Urls);
    }

    [Fact]
    public void Load_MissingFile_Fails()
    {
        var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(Path.Combine(_dir, "nope.yaml"), []));

        Assert.Contains("does not exist", ex.Message);
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Auth_security_settings_bind_and_default()
    {
        var defaults = new ConfigLoader(_ => null).Load(Write("auth:\n  allow_anonymous_on_loopback: true\n"), []);
        Assert.Equal(TimeSpan.FromHours(1), defaults.Auth.SessionIdleTimeout);
        Assert.Equal(TimeSpan.FromHours(8), defaults.Auth.SessionLifetime);
        Assert.Equal(10, defaults.Auth.FailedAuthLimit);
        Assert.Equal(TimeSpan.FromMinutes(1), defaults.Auth.FailedAuthWindow);
        Assert.Equal(ProtectedEndpoints.None, defaults.Auth.RequireKeyFor);

        var set = new ConfigLoader(_ => null).Load(Write("""
            auth:
              session_idle_timeout: 15m
              session_lifetime: 2h
              failed_auth_limit: 5
              failed_auth_window: 30s
              require_key_for: [metrics, models, ready]
            """), []);
        Assert.Equal(TimeSpan.FromMinutes(15), set.Auth.SessionIdleTimeout);
        Assert.Equal(TimeSpan.FromHours(2), set.Auth.SessionLifetime);
        Assert.Equal(5, set.Auth.FailedAuthLimit);
        Assert.Equal(TimeSpan.FromSeconds(30), set.Auth.FailedAuthWindow);
        Assert.Equal(ProtectedEndpoints.Metrics | ProtectedEndpoints.Models | ProtectedEndpoints.Ready, set.Auth.RequireKeyFor);
    }

    [Theory]
    [InlineData("auth:\n  admin_key: short-key-0123456789abc\n", "auth.admin_key: the admin key must be at least 32 characters (it is 23)")]
    [InlineData("auth:\n  session_idle_timeout: 10s\n", "auth.session_idle_timeout: must be at least 1m.")]
    [InlineData("auth:\n  session_idle_timeout: 2h\n  session_lifetime: 1h\n", "auth.session_lifetime: must be at least auth.session_idle_timeout.")]
    [InlineData("auth:\n  failed_auth_limit: -1\n", "auth.failed_auth_limit: -1 is out of range")]
    [InlineData("auth:\n  failed_auth_window: 0s\n", "auth.failed_auth_window: must be from 1s to 1d.")]
    [InlineData("auth:\n  require_key_for: [metrics, dashboard]\n", "auth.require_key_for[1]: 'dashboard' is not one of metrics, models, ready.")]
    [InlineData("auth:\n  require_key_for: metrics\n", "auth.require_key_for: must be a list")]
    public void Bad_auth_settings_are_reported_with_their_key(string yaml, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(Write(yaml), []));
        Assert.Contains(ex.Errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(ex.Errors, e => e.Contains("short-key-0123456789abc", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("limits:\n  global:\n    rpm: 0\n", "limits.global.rpm: 0 is out of range")]
    [InlineData("limits:\n  global:\n    rps: 5\n", "limits.global.rps: unknown key")]
    [InlineData("limits:\n  budget_time_zone: Mars/Olympus\n", "limits.budget_time_zone: 'Mars/Olympus' is not a known time zone")]
    [InlineData("limits:\n  fallback_price:\n    input_per_million: 1\n", "limits.fallback_price: needs input_per_million and output_per_million")]
    [InlineData("limits:\n  fallback_price:\n    input_per_million: -1\n    output_per_million: 1\n", "limits.fallback_price.input_per_million")]
    [InlineData("keys:\n  rotation_grace: soon\n", "keys.rotation_grace: 'soon' is not a duration")]
    [InlineData("keys:\n  grace: 1h\n", "keys.grace: unknown key")]
    [InlineData("model_groups:\n  m:\n    limits:\n      tpm: many\n    deployments:\n      - provider: sandbox\n", "model_groups.m.limits.tpm: 'many' is not a whole number")]
    public void Bad_limit_settings_are_reported_with_their_key(string yaml, string expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, yaml.Replace("\\n", "\n", StringComparison.Ordinal));
            var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(file, []));
            Assert.Contains(ex.Errors, e => e.Contains(expected, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

public sealed class SampleConfigurationTests
{
    [Fact]
    public void SampleFile_InDocs_IsValid()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Switchyard.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var env = new Dictionary<string, string?>
        {
            ["SWITCHYARD_ADMIN_KEY"] = "admin-0123456789abcdef0123456789abcdef",
            ["OPENAI_API_KEY"] = "sk",
            ["OPENAI_ORG_ID"] = "org",
            ["AZURE_OPENAI_API_KEY"] = "az",
            ["ANTHROPIC_API_KEY"] = "ak",
            ["OTLP_API_KEY"] = "otlp",
            ["SLACK_WEBHOOK_URL"] = "https://hooks.slack.com/services/T0/B0/x",
            ["ALERTS_WEBHOOK_TOKEN"] = "Bearer t",
        };

        var options = new ConfigLoader(env.GetValueOrDefault).Load(Path.Combine(root!.FullName, "samples", "switchyard.yaml"), []);

        Assert.Equal(4, options.ModelGroups.Count);
        Assert.Equal("my-private-llama", Assert.Single(options.Prices).Model);
        Assert.Equal(TimeSpan.FromDays(30), options.Tracing.Retention);
        Assert.Equal("org", options.ModelGroups["gpt-4o"].Deployments[0].Headers["OpenAI-Organization"]);
        Assert.Equal(new Switchyard.Limits.RateLimits(5000, 800000, null), options.ModelGroups["gpt-4o"].Limits);
        Assert.Equal(new Switchyard.Limits.RateLimits(10000, 2000000, 512), options.Limits.Global);
        Assert.Equal("Europe/Paris", options.Limits.BudgetTimeZone.Id);
        Assert.Equal(30m, options.Limits.FallbackPrice!.OutputPerMillion);
        Assert.Equal(TimeSpan.FromHours(24), options.Keys.RotationGrace);
        Assert.Equal([WebhookFormat.Slack, WebhookFormat.Json], options.Alerts.Webhooks.Select(w => w.Format));
    }
}
