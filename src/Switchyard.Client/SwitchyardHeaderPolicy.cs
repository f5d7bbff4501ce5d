using System.ClientModel.Primitives;
using System.Diagnostics;

namespace Switchyard.Client;

/// <summary>
/// Adds the <c>x-switchyard-*</c> headers (client defaults merged with the call's options) and the caller's W3C
/// trace context to each request of the OpenAI SDK's pipeline, and reads the gateway's trace headers back.
/// </summary>
internal sealed class SwitchyardHeaderPolicy(SwitchyardRequestOptions defaults) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        var scope = Prepare(message);
        ProcessNext(message, pipeline, currentIndex);
        Collect(message, scope);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        var scope = Prepare(message);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        Collect(message, scope);
    }

    private SwitchyardCallScope? Prepare(PipelineMessage message)
    {
        var scope = SwitchyardCallScope.Current;
        var headers = message.Request.Headers;
        foreach (var (name, value) in SwitchyardRequestOptions.Merge(defaults, scope?.Options).ToHeaders())
        {
            headers.Set(name, value);
        }

        // Set before HttpClient's DiagnosticsHandler, which keeps it: left to itself, that handler parents the
        // call on its own System.Net.Http span whenever anything listens to it, and an unexported one leaves
        // the gateway's call orphaned in the application's trace. It also covers propagation turned off.
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } activity && !headers.TryGetValue("traceparent", out _))
        {
            headers.Set("traceparent", id);
            if (activity.TraceStateString is { Length: > 0 } state && !headers.TryGetValue("tracestate", out _))
            {
                headers.Set("tracestate", state);
            }
        }

        return scope;
    }

    private static void Collect(PipelineMessage message, SwitchyardCallScope? scope)
    {
        if (scope is null || message.Response is not { } response)
        {
            return;
        }

        if (response.Headers.TryGetValue("x-switchyard-trace-id", out var traceId))
        {
            scope.TraceId = traceId;
        }

        if (response.Headers.TryGetValue("x-switchyard-span-id", out var spanId))
        {
            scope.SpanId = spanId;
        }

        if (response.Headers.TryGetValue("x-switchyard-cache", out var cache))
        {
            scope.Cache = cache;
        }
    }
}
