namespace Switchyard.Client;

/// <summary>
/// One call's options on the way down and the gateway's response headers on the way up. The Microsoft.Extensions.AI
/// adapter gives the HTTP pipeline no per-call state, so the wrapper puts the scope in an async local that the
/// pipeline policy, running inside the same call, reads and fills.
/// </summary>
internal sealed class SwitchyardCallScope
{
    private static readonly AsyncLocal<SwitchyardCallScope?> s_current = new();

    private SwitchyardCallScope(SwitchyardRequestOptions? options) => Options = options;

    public static SwitchyardCallScope? Current => s_current.Value;

    public SwitchyardRequestOptions? Options { get; }

    public string? TraceId { get; set; }

    public string? SpanId { get; set; }

    public string? Cache { get; set; }

    /// <summary>Starts a scope; returns it and the one it replaced, to hand back to <see cref="Restore"/>.</summary>
    public static (SwitchyardCallScope Scope, SwitchyardCallScope? Previous) Begin(SwitchyardRequestOptions? options)
    {
        var previous = s_current.Value;
        var scope = new SwitchyardCallScope(options);
        s_current.Value = scope;
        return (scope, previous);
    }

    public static void Restore(SwitchyardCallScope? previous) => s_current.Value = previous;

    /// <summary>Adds what the gateway said to a response's or an update's additional properties.</summary>
    public void CopyTo(IDictionary<string, object?> properties)
    {
        if (TraceId is not null)
        {
            properties[SwitchyardProperties.TraceId] = TraceId;
        }

        if (SpanId is not null)
        {
            properties[SwitchyardProperties.SpanId] = SpanId;
        }

        if (Cache is not null)
        {
            properties[SwitchyardProperties.Cache] = Cache;
        }
    }
}
