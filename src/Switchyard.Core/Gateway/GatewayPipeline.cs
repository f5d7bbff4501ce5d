namespace Switchyard.Gateway;

/// <summary>The stages of the request path composed into one delegate, first stage outermost.</summary>
internal sealed class GatewayPipeline
{
    private static readonly CallDelegate s_end = static call =>
        new ValueTask(GatewayErrors.WriteAsync(call, 500, "server_error", "The request reached the end of the pipeline unanswered."));

    public GatewayPipeline(IReadOnlyList<CallStage> stages)
    {
        Stages = stages;
        var next = s_end;
        for (var i = stages.Count - 1; i >= 0; i--)
        {
            var stage = stages[i];
            var inner = next;
            next = call => stage.InvokeAsync(call, inner);
        }

        Invoke = next;
    }

    public IReadOnlyList<CallStage> Stages { get; }

    public CallDelegate Invoke { get; }
}
