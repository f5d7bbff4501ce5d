using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

internal sealed class ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:4000";

    [ConfigurationKeyName("urls")]
    public string Urls { get; set; } = DefaultUrls;

    [ConfigurationKeyName("data")]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Largest request body accepted on <c>/v1</c>; bigger bodies get 413.</summary>
    [ConfigurationKeyName("max_request_body_bytes"), ConfigValue(Min = 1024)]
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted in a request body; deeper gets 400.</summary>
    [ConfigurationKeyName("max_json_depth"), ConfigValue(Min = 8, Max = 1000)]
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>Most messages accepted in one request; more gets 400.</summary>
    [ConfigurationKeyName("max_messages"), ConfigValue(Min = 1, Max = 1_000_000)]
    public int MaxMessages { get; set; } = 4096;

    /// <summary>How long a graceful stop waits for in-flight requests.</summary>
    [ConfigurationKeyName("shutdown_timeout")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long model discovery at start waits for a provider's <c>/models</c>.</summary>
    [ConfigurationKeyName("discovery_timeout")]
    public TimeSpan DiscoveryTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
