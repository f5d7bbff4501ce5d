using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>The whole configuration of one Switchyard process, after YAML, environment and defaults are merged.</summary>
internal sealed class SwitchyardOptions
{
    [ConfigurationKeyName("server")]
    public ServerOptions Server { get; set; } = new();

    [ConfigurationKeyName("auth")]
    public AuthOptions Auth { get; set; } = new();

    [ConfigurationKeyName("recording")]
    public RecordingOptions Recording { get; set; } = new();

    [ConfigurationKeyName("tracing")]
    public TracingOptions Tracing { get; set; } = new();

    [ConfigurationKeyName("telemetry")]
    public Telemetry.Out.TelemetryOptions Telemetry { get; set; } = new();

    [ConfigurationKeyName("limits"), ConfigValue(Converted = true, Shape = typeof(LimitSection))]
    public LimitOptions Limits { get; set; } = new();

    [ConfigurationKeyName("keys")]
    public KeyOptions Keys { get; set; } = new();

    [ConfigurationKeyName("alerts")]
    public AlertOptions Alerts { get; set; } = new();

    [ConfigurationKeyName("routing")]
    public RoutingOptions Routing { get; set; } = new();

    [ConfigurationKeyName("cache")]
    public CacheOptions Cache { get; set; } = new();

    /// <summary>With no config file, <see cref="GuardrailOptions.Default"/>; with one, only the guards it names.</summary>
    [ConfigurationKeyName("guardrails")]
    public GuardrailOptions Guardrails { get; set; } = new();

    /// <summary>Operator prices from <c>prices_file</c>; they win over the shipped catalogue.</summary>
    [ConfigurationKeyName("prices_file"), ConfigValue(Converted = true, Shape = typeof(string))]
    public List<Accounting.Pricing.PriceEntry> Prices { get; set; } = [];

    /// <summary>Public model name → the deployments that serve it, in configuration order.</summary>
    [ConfigurationKeyName("model_groups")]
    public Dictionary<string, ModelGroupOptions> ModelGroups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True when no config file was given: serve sandbox plus providers found in the environment.</summary>
    public bool DiscoverProviders { get; set; }
}
