namespace Switchyard.Configuration;

/// <summary>The whole configuration of one Switchyard process, after YAML, environment and defaults are merged.</summary>
internal sealed class SwitchyardOptions
{
    public ServerOptions Server { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public RecordingOptions Recording { get; set; } = new();

    public TracingOptions Tracing { get; set; } = new();

    public Telemetry.Out.TelemetryOptions Telemetry { get; set; } = new();

    public LimitOptions Limits { get; set; } = new();

    public KeyOptions Keys { get; set; } = new();
    public AlertOptions Alerts { get; set; } = new();

    public RoutingOptions Routing { get; set; } = new();

    public CacheOptions Cache { get; set; } = new();

    /// <summary>Operator prices from <c>prices_file</c>; they win over the shipped catalogue.</summary>
    public List<Accounting.Pricing.PriceEntry> Prices { get; set; } = [];

    /// <summary>Public model name → the deployments that serve it, in configuration order.</summary>
    public Dictionary<string, ModelGroupOptions> ModelGroups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True when no config file was given: serve sandbox plus providers found in the environment.</summary>
    public bool DiscoverProviders { get; set; }
}
