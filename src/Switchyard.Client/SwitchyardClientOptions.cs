namespace Switchyard.Client;

/// <summary>Where the gateway is, how to authenticate, and the <c>x-switchyard-*</c> defaults for every call.</summary>
public sealed class SwitchyardClientOptions
{
    /// <summary>The environment variable read for <see cref="Endpoint"/> when it is not set.</summary>
    public const string UrlVariable = "SWITCHYARD_URL";

    /// <summary>The environment variable read for <see cref="ApiKey"/> when it is not set.</summary>
    public const string ApiKeyVariable = "SWITCHYARD_API_KEY";

    /// <summary>Where <c>switchyard serve</c> listens when nothing else is said.</summary>
    public static readonly Uri DefaultEndpoint = new("http://127.0.0.1:4000");

    /// <summary>
    /// The gateway's base address (not its <c>/v1</c>); a trailing <c>/v1</c> is accepted and dropped. Null for
    /// <c>SWITCHYARD_URL</c>, else <see cref="DefaultEndpoint"/>.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>A virtual key (or the admin key); null for <c>SWITCHYARD_API_KEY</c>, else no key (an anonymous gateway).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Sent on every call; per-call options (<c>ChatOptions.WithSwitchyard</c>) add to and override them.</summary>
    public SwitchyardRequestOptions Defaults { get; set; } = new();

    /// <summary>The HTTP client to send with (for <c>IHttpClientFactory</c> or a custom handler); null for a shared one.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>How long one HTTP request may take; null for the OpenAI SDK's default (100 seconds).</summary>
    public TimeSpan? NetworkTimeout { get; set; }
}
