namespace Switchyard.Gateway;

/// <summary>Calls the rest of the pipeline.</summary>
internal delegate ValueTask CallDelegate(CallContext call);

/// <summary>
/// One step of the request path. A stage may answer the call itself (a 401, a cache hit, a blocked
/// prompt) or pass it on with <c>next</c>. Stages are singletons: keep per-call state on the context.
/// </summary>
internal abstract class CallStage
{
    public abstract ValueTask InvokeAsync(CallContext call, CallDelegate next);
}
