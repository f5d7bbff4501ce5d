using Microsoft.Extensions.DependencyInjection;
using Switchyard.Gateway;
using Xunit;

namespace Switchyard.Tests.Gateway;

/// <summary>The builder composes stages outermost first and leaves out the ones switched off.</summary>
public sealed class GatewayPipelineBuilderTests
{
    [Fact]
    public void Stages_run_in_the_order_they_were_added_and_a_switched_off_one_is_left_out()
    {
        var services = new ServiceCollection()
            .AddSingleton(new Recording("outer"))
            .AddSingleton(new Skipped())
            .BuildServiceProvider();
        var inner = new Recording("inner");

        var pipeline = new GatewayPipelineBuilder(services)
            .Use<Recording>()
            .UseWhen<Skipped>(enabled: false)
            .Use(inner)
            .Build();

        Assert.Equal(2, pipeline.Stages.Count);
        Assert.Same(services.GetRequiredService<Recording>(), pipeline.Stages[0]);
        Assert.Same(inner, pipeline.Stages[1]);
        Assert.Same(services.GetRequiredService<Skipped>(), new GatewayPipelineBuilder(services).UseWhen<Skipped>(enabled: true).Build().Stages.Single());
    }

    internal sealed class Recording(string name) : CallStage
    {
        public string Name { get; } = name;

        public override ValueTask InvokeAsync(CallContext call, CallDelegate next) => next(call);
    }

    internal sealed class Skipped : CallStage
    {
        public override ValueTask InvokeAsync(CallContext call, CallDelegate next) => next(call);
    }
}
