namespace Switchyard.Configuration;

internal sealed class ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:4000";

    public string Urls { get; set; } = DefaultUrls;

    public string DataDirectory { get; set; } = "./data";

    /// <summary>Largest request body accepted on <c>/v1</c>; bigger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted in a request body; deeper gets 400.</summary>
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>Most messages accepted in one request; more gets 400.</summary>
    public int MaxMessages { get; set; } = 4096;

    /// <summary>How long a graceful stop waits for in-flight requests.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long model discovery at start waits for a provider's <c>/models</c>.</summary>
    public TimeSpan DiscoveryTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
