namespace Switchyard.Providers;

/// <summary>One call to send upstream: a body already in the provider's wire format, with the deployment's model in it.</summary>
internal sealed class UpstreamRequest
{
    public required WireFormat Format { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public bool Stream { get; init; }

    /// <summary>W3C <c>traceparent</c> to propagate, so the upstream call joins the trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Client headers the provider understands (<c>anthropic-beta</c>, <c>anthropic-version</c>), forwarded as sent.</summary>
    public IReadOnlyDictionary<string, string>? ClientHeaders { get; init; }
}
