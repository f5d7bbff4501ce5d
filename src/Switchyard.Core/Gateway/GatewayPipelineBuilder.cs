using Microsoft.Extensions.DependencyInjection;

namespace Switchyard.Gateway;

/// <summary>
/// Composes the request path from stages in the manner of Microsoft.Extensions.AI's <c>ChatClientBuilder</c>:
/// each <c>Use</c> adds the next stage inward, and a stage whose feature is off for the whole
/// configuration is simply not added (<see cref="UseWhen{TStage}"/>), so it costs nothing per call.
/// </summary>
internal sealed class GatewayPipelineBuilder(IServiceProvider services)
{
    private readonly List<CallStage> _stages = [];

    /// <summary>Adds a stage resolved from the container (stages are singletons).</summary>
    public GatewayPipelineBuilder Use<TStage>()
        where TStage : CallStage => Use(services.GetRequiredService<TStage>());

    public GatewayPipelineBuilder Use(CallStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        _stages.Add(stage);
        return this;
    }

    /// <summary>Adds the stages registered for <paramref name="place"/> (<see cref="PlacedStage"/>), in registration order.</summary>
    public GatewayPipelineBuilder UsePlace(PipelinePlace place)
    {
        foreach (var placed in services.GetServices<PlacedStage>())
        {
            if (placed.Place == place)
            {
                Use(placed.Stage);
            }
        }

        return this;
    }

    /// <summary>Adds the stage only when <paramref name="enabled"/>: for features switched off in the configuration.</summary>
    public GatewayPipelineBuilder UseWhen<TStage>(bool enabled)
        where TStage : CallStage => enabled ? Use<TStage>() : this;

    public GatewayPipeline Build() => new([.. _stages]);
}
