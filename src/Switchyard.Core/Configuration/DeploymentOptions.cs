namespace Switchyard.Configuration;

internal sealed class DeploymentOptions
{
    /// <summary>Unique name, shown in <c>x-switchyard-deployment</c> and on traces.</summary>
    public string Name { get; set; } = "";

    /// <summary>openai, azure, anthropic or sandbox.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The model name sent upstream (for Azure: the deployment name).</summary>
    public string Model { get; set; } = "";

    public string? BaseUrl { get; set; }

    /// <summary>The resolved secret. Never logged or returned.</summary>
    public string? ApiKey { get; set; }

    public string? ApiVersion { get; set; }

    public int Weight { get; set; } = 1;

    /// <summary>Total time for one upstream call, request to last byte.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>Time to open a TCP (and TLS) connection to the upstream.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Streams: time from the request to the upstream's first body byte; null for none.</summary>
    public TimeSpan? FirstTokenTimeout { get; set; }

    /// <summary>Streams: longest silence between two chunks; null for none.</summary>
    public TimeSpan? IdleTimeout { get; set; }

    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Ask OpenAI-compatible upstreams for usage on streams (<c>stream_options.include_usage</c>).</summary>
    public bool StreamUsage { get; set; } = true;

    /// <summary>Anthropic only: <c>max_tokens</c> when an OpenAI-format request sets none.</summary>
    public int DefaultMaxTokens { get; set; } = 4096;

    public SandboxOptions Sandbox { get; set; } = new();
}
