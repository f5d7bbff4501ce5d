namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// A span as read off the wire, before id validation and mapping. Both readers fill it so that
/// validation (<see cref="OtlpTraceDecoder"/>) and mapping (<see cref="SpanMapper"/>) exist once.
/// </summary>
internal sealed class OtlpSpan
{
    public byte[] TraceId { get; set; } = [];

    public byte[] SpanId { get; set; } = [];

    public byte[] ParentSpanId { get; set; } = [];

    public string? TraceState { get; set; }

    public string Name { get; set; } = "";

    public int Kind { get; set; }

    public ulong StartUnixNano { get; set; }

    public ulong EndUnixNano { get; set; }

    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);

    public List<IngestedSpanEvent> Events { get; } = [];

    public List<IngestedSpanLink> Links { get; } = [];

    public int StatusCode { get; set; }

    public string? StatusMessage { get; set; }

    public string? ScopeName { get; set; }

    public string? ScopeVersion { get; set; }

    public IReadOnlyDictionary<string, object?> ResourceAttributes { get; set; } = s_empty;

    private static readonly Dictionary<string, object?> s_empty = new(StringComparer.Ordinal);
}
