using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

internal sealed class ModelGroupOptions
{
    [ConfigurationKeyName("deployments")]
    public List<DeploymentOptions> Deployments { get; set; } = [];

    /// <summary>Limits on the whole model group, across every caller.</summary>
    [ConfigurationKeyName("limits"), ConfigValue(Converted = true, Shape = typeof(RateLimitSection))]
    public Limits.RateLimits Limits { get; set; } = Switchyard.Limits.RateLimits.None;

    /// <summary>Overrides <see cref="RoutingOptions.Strategy"/> for this group.</summary>
    [ConfigurationKeyName("strategy"), ConfigValue(Invalid = RoutingOptions.StrategyProblem)]
    public LoadBalancing? Strategy { get; set; }

    /// <summary>Overrides <see cref="RoutingOptions.MaxRetries"/> for this group.</summary>
    [ConfigurationKeyName("max_retries"), ConfigValue(Min = 0, Max = 10)]
    public int? MaxRetries { get; set; }

    /// <summary>Other model groups tried in order when this group's retries are exhausted.</summary>
    [ConfigurationKeyName("fallbacks"), ConfigValue(CommaList = true)]
    public List<string> Fallbacks { get; set; } = [];

    /// <summary>Groups tried when the upstream says the request is too long for the model's context window.</summary>
    [ConfigurationKeyName("context_window_fallbacks"), ConfigValue(CommaList = true)]
    public List<string> ContextWindowFallbacks { get; set; } = [];

    /// <summary>Groups tried when the upstream refuses the request under its content policy.</summary>
    [ConfigurationKeyName("content_policy_fallbacks"), ConfigValue(CommaList = true)]
    public List<string> ContentPolicyFallbacks { get; set; } = [];

    [ConfigurationKeyName("cache")]
    public GroupCacheOptions Cache { get; set; } = new();

    [ConfigurationKeyName("guardrails")]
    public GroupGuardrailOptions Guardrails { get; set; } = new();
}
