using Switchyard.Configuration;

namespace Switchyard.Routing;

/// <summary>A group's routing settings: the gateway-wide ones with the group's overrides applied.</summary>
internal sealed record GroupRouting(
    LoadBalancing Strategy,
    int MaxRetries,
    IReadOnlyList<string> Fallbacks,
    IReadOnlyList<string> ContextWindowFallbacks,
    IReadOnlyList<string> ContentPolicyFallbacks,
    RoutingOptions Options,
    TimeProvider Time)
{
    public static GroupRouting Default { get; } = For(new ModelGroupOptions(), new RoutingOptions(), TimeProvider.System);

    public RetryBudgetOptions RetryBudget => Options.RetryBudget;

    public static GroupRouting For(ModelGroupOptions group, RoutingOptions routing, TimeProvider time) => new(
        group.Strategy ?? routing.Strategy,
        group.MaxRetries ?? routing.MaxRetries,
        group.Fallbacks,
        group.ContextWindowFallbacks,
        group.ContentPolicyFallbacks,
        routing,
        time);
}
