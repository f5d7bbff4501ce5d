using Switchyard.Configuration;
using Switchyard.Providers;

namespace Switchyard.Routing;

/// <summary>One upstream that can serve a model group: a provider, its model and where to reach it.</summary>
internal sealed class Deployment
{
    public Deployment(string group, DeploymentOptions options, IProviderAdapter adapter, DeploymentHealth? health = null, int index = 0, decimal? pricePerMillion = null, bool tracksHeadroom = false)
    {
        TracksHeadroom = tracksHeadroom;
        Health = health ?? new DeploymentHealth(new DeploymentBreaker(options.Name, new BreakerOptions(), TimeProvider.System, RoutingMetrics.Unobserved));
        Index = index;
        PricePerMillion = pricePerMillion ?? (adapter.Provider == "sandbox" ? 0 : decimal.MaxValue);
        BearerAuthorization = string.IsNullOrEmpty(options.ApiKey) ? null : "Bearer " + options.ApiKey;
        Group = group;
        Options = options;
        Adapter = adapter;
        Name = options.Name;
        Model = options.Model;
        Provider = options.Provider;
        ModelJsonString = System.Text.Json.JsonEncodedText.Encode(options.Model);
        Scrubber = SecretScrubber.For(options);
    }

    public string Group { get; }

    /// <summary>Position in its group, the deployment's bit in a call's set of tried deployments.</summary>
    public int Index { get; }

    /// <summary>What routing has learned about this deployment: in flight, latency, headroom, breaker.</summary>
    public DeploymentHealth Health { get; }

    /// <summary>Whether routing reads this deployment's rate-limit headers (its group balances by <c>most_headroom</c>).</summary>
    public bool TracksHeadroom { get; }

    /// <summary>Input plus output list price per million tokens, for <c>lowest_cost</c>; <see cref="decimal.MaxValue"/> when unknown.</summary>
    public decimal PricePerMillion { get; }

    public string Name { get; }

    public string Provider { get; }

    /// <summary>The model name sent upstream.</summary>
    public string Model { get; }

    /// <summary><see cref="Model"/> already JSON-escaped, for splicing into request bodies.</summary>
    public System.Text.Json.JsonEncodedText ModelJsonString { get; }

    public DeploymentOptions Options { get; }

    public IProviderAdapter Adapter { get; }

    public bool IsSimulated => Adapter.Provider == "sandbox";

    /// <summary>Takes this deployment's credentials out of upstream error text; built once, as they never change at run time.</summary>
    public SecretScrubber Scrubber { get; }

    /// <summary><c>Bearer &lt;api key&gt;</c>, built once: a header object per call is garbage on every call.</summary>
    public string? BearerAuthorization { get; }

    private readonly Uri?[] _uris = new Uri?[Enum.GetValues<Providers.WireFormat>().Length];

    /// <summary>The upstream URL for a format, built once per deployment (URLs never change at run time).</summary>
    public Uri UpstreamUri(Providers.WireFormat format, Func<Deployment, Providers.WireFormat, Uri> build) =>
        _uris[(int)format] ??= build(this, format);
}
