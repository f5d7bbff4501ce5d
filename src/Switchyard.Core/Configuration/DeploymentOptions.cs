using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

internal sealed class DeploymentOptions
{
    /// <summary>Unique name, shown in <c>x-switchyard-deployment</c> and on traces.</summary>
    [ConfigurationKeyName("name")]
    public string Name { get; set; } = "";

    /// <summary>openai, azure, anthropic or sandbox.</summary>
    [ConfigurationKeyName("provider")]
    public string Provider { get; set; } = "";

    /// <summary>The model name sent upstream (for Azure: the deployment name).</summary>
    [ConfigurationKeyName("model")]
    public string Model { get; set; } = "";

    [ConfigurationKeyName("base_url")]
    public string? BaseUrl { get; set; }

    /// <summary>The resolved secret. Never logged or returned.</summary>
    [ConfigurationKeyName("api_key"), ConfigValue(Secret = true)]
    public string? ApiKey { get; set; }

    [ConfigurationKeyName("api_version")]
    public string? ApiVersion { get; set; }

    [ConfigurationKeyName("weight"), ConfigValue(Min = 0, Max = 1_000_000)]
    public int Weight { get; set; } = 1;

    /// <summary>Total time for one upstream call, request to last byte.</summary>
    [ConfigurationKeyName("timeout")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>Time to open a TCP (and TLS) connection to the upstream.</summary>
    [ConfigurationKeyName("connect_timeout")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Streams: time from the request to the upstream's first body byte; null for none.</summary>
    [ConfigurationKeyName("first_token_timeout")]
    public TimeSpan? FirstTokenTimeout { get; set; }

    /// <summary>Streams: longest silence between two chunks; null for none.</summary>
    [ConfigurationKeyName("idle_timeout")]
    public TimeSpan? IdleTimeout { get; set; }

    [ConfigurationKeyName("headers"), ConfigValue(Secret = true)]
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Ask OpenAI-compatible upstreams for usage on streams (<c>stream_options.include_usage</c>).</summary>
    [ConfigurationKeyName("stream_usage")]
    public bool StreamUsage { get; set; } = true;

    /// <summary>Anthropic only: <c>max_tokens</c> when an OpenAI-format request sets none.</summary>
    [ConfigurationKeyName("default_max_tokens"), ConfigValue(Min = 1, Max = 10_000_000)]
    public int DefaultMaxTokens { get; set; } = 4096;

    [ConfigurationKeyName("sandbox")]
    public SandboxOptions Sandbox { get; set; } = new();
}
