namespace Switchyard.Configuration;

internal sealed class ModelGroupOptions
{
    public List<DeploymentOptions> Deployments { get; set; } = [];

    /// <summary>Limits on the whole model group, across every caller.</summary>
    public Limits.RateLimits Limits { get; set; } = Switchyard.Limits.RateLimits.None;

    /// <summary>Overrides <see cref="RoutingOptions.Strategy"/> for this group.</summary>
    public LoadBalancing? Strategy { get; set; }

    /// <summary>Overrides <see cref="RoutingOptions.MaxRetries"/> for this group.</summary>
    public int? MaxRetries { get; set; }

    /// <summary>Other model groups tried in order when this group's retries are exhausted.</summary>
    public List<string> Fallbacks { get; set; } = [];

    /// <summary>Groups tried when the upstream says the request is too long for the model's context window.</summary>
    public List<string> ContextWindowFallbacks { get; set; } = [];

    /// <summary>Groups tried when the upstream refuses the request under its content policy.</summary>
    public List<string> ContentPolicyFallbacks { get; set; } = [];

    public GroupCacheOptions Cache { get; set; } = new();
}
