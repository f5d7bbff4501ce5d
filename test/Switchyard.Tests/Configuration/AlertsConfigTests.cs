using Switchyard.Configuration;
using Xunit;

namespace Switchyard.Tests.Configuration;

public sealed class AlertsConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchyard-alerts-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void EveryKey_Binds()
    {
        var path = Write("""
            alerts:
              allow_private_targets: false
              max_attempts: 6
              timeout: 3s
              retry_delay: 250ms
              queue_capacity: 50
              webhooks:
                - url: env:SLACK_URL
                  format: slack
                - url: https://alerts.example.com/switchyard
                  headers:
                    Authorization: env:ALERT_TOKEN
                    X-Source: switchyard
            """);
        var env = new Dictionary<string, string?> { ["SLACK_URL"] = "https://hooks.slack.com/services/T0/B0/abc", ["ALERT_TOKEN"] = "Bearer t" };

        var alerts = new ConfigLoader(env.GetValueOrDefault).Load(path, []).Alerts;

        Assert.False(alerts.AllowPrivateTargets);
        Assert.Equal((6, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(250), 50), (alerts.MaxAttempts, alerts.Timeout, alerts.RetryDelay, alerts.QueueCapacity));
        Assert.Equal(2, alerts.Webhooks.Count);
        Assert.Equal(("https://hooks.slack.com/services/T0/B0/abc", WebhookFormat.Slack), (alerts.Webhooks[0].Url.OriginalString, alerts.Webhooks[0].Format));
        Assert.Equal(WebhookFormat.Json, alerts.Webhooks[1].Format);
        Assert.Equal("Bearer t", alerts.Webhooks[1].Headers["authorization"]);
        Assert.Equal("switchyard", alerts.Webhooks[1].Headers["X-Source"]);
    }

    [Fact]
    public void Defaults_NoWebhooks_PrivateTargetsRefused()
    {
        var alerts = new ConfigLoader(_ => null).Load(Write("alerts: {}\n"), []).Alerts;

        Assert.Empty(alerts.Webhooks);
        Assert.False(alerts.AllowPrivateTargets);
        Assert.Equal((4, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)), (alerts.MaxAttempts, alerts.Timeout, alerts.RetryDelay));
    }

    [Fact]
    public void EnvironmentVariables_OverrideWebhookKeys()
    {
        var path = Write("""
            alerts:
              webhooks:
                - url: https://a.example.com/x
            """);
        var env = new Dictionary<string, string?>
        {
            ["SWITCHYARD_ALERTS__WEBHOOKS__0__URL"] = "http://127.0.0.1:9000/hook",
            ["SWITCHYARD_ALERTS__ALLOW_PRIVATE_TARGETS"] = "true",
        };

        var alerts = new ConfigLoader(_ => null).Load(path, env).Alerts;

        Assert.True(alerts.AllowPrivateTargets);
        Assert.Equal("http://127.0.0.1:9000/hook", Assert.Single(alerts.Webhooks).Url.OriginalString);
    }

    [Fact]
    public void PrivateTargets_NeedTheSwitch()
    {
        var yaml = """
            alerts:
              allow_private_targets: {0}
              webhooks:
                - url: http://localhost:8080/hook
                - url: http://10.0.0.5/hook
            """;

        var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(Write(yaml.Replace("{0}", "false", StringComparison.Ordinal)), []));
        Assert.Contains(ex.Errors, e => e.StartsWith("alerts.webhooks[0].url: the host localhost is loopback", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("alerts.webhooks[1].url: the host 10.0.0.5 is a private address; set alerts.allow_private_targets: true", StringComparison.Ordinal));

        Assert.Equal(2, new ConfigLoader(_ => null).Load(Write(yaml.Replace("{0}", "true", StringComparison.Ordinal)), []).Alerts.Webhooks.Count);
    }

    [Fact]
    public void EveryProblem_IsReportedWithItsKeyPath_AndNoSecretUrl()
    {
        var path = Write("""
            alerts:
              allow_private_targets: true
              max_attempts: 0
              timeout: 10ms
              retry_delay: soon
              colour: red
              webhooks:
                - url: ftp://files.example.com/x
                - url: http://169.254.169.254/latest/meta-data/
                - url: https://example.com/x
                  format: teams
                  verb: PUT
                - format: json
                - url: env:SECRET_HOOK
                - url: env:MISSING_HOOK
                - url: https://example.com/y
                  headers:
                    "Bad Name": x
                    Content-Type: text/plain
                    X-Token: env:MISSING_TOKEN
                - https://just-a-string.example.com
            """);
        var env = new Dictionary<string, string?> { ["SECRET_HOOK"] = "http://[::ffff:169.254.169.254]/services/T0/B0/topsecret" };

        var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(env.GetValueOrDefault).Load(path, []));

        Assert.Contains(ex.Errors, e => e.StartsWith("alerts.max_attempts: 0 is out of range", StringComparison.Ordinal));
        Assert.Contains("alerts.timeout: must be from 100ms to 10m.", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("alerts.retry_delay: 'soon' is not a duration", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("alerts.colour: unknown key", StringComparison.Ordinal));
        Assert.Contains("alerts.webhooks[0].url: the scheme must be http or https, not 'ftp'.", ex.Errors);
        Assert.Contains("alerts.webhooks[1].url: the host 169.254.169.254 is a cloud metadata address; webhooks cannot target it.", ex.Errors);
        Assert.Contains("alerts.webhooks[2].format: 'teams' is not one of json, slack.", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("alerts.webhooks[2].verb: unknown key", StringComparison.Ordinal));
        Assert.Contains("alerts.webhooks[3].url: required.", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("alerts.webhooks[4].url: the host ::ffff:169.254.169.254 is a cloud metadata address", StringComparison.Ordinal));
        Assert.Contains("alerts.webhooks[5].url: refers to the environment variable MISSING_HOOK, which is not set.", ex.Errors);
        Assert.Contains("alerts.webhooks[6].headers.Bad Name: not a header name a webhook request may set.", ex.Errors);
        Assert.Contains("alerts.webhooks[6].headers.Content-Type: not a header name a webhook request may set.", ex.Errors);
        Assert.Contains("alerts.webhooks[6].headers.X-Token: refers to the environment variable MISSING_TOKEN, which is not set.", ex.Errors);
        Assert.Contains("alerts.webhooks[7]: must be a mapping with url, format and headers.", ex.Errors);
        Assert.DoesNotContain("topsecret", ex.Message);
        Assert.DoesNotContain("meta-data", ex.Message);
    }

    [Fact]
    public void LongTimeoutsAndRetryDelays_AreRefused()
    {
        var path = Write("""
            alerts:
              timeout: 1h
              retry_delay: 30d
            """);

        var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(path, []));

        Assert.Contains("alerts.timeout: must be from 100ms to 10m.", ex.Errors);
        Assert.Contains("alerts.retry_delay: must be at most 5m (retries wait at most 5 minutes).", ex.Errors);
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
