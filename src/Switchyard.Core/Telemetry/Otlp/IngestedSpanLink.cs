namespace Switchyard.Telemetry.Otlp;

/// <summary>A span link (trace.proto <c>Span.Link</c>: trace_id=1, span_id=2, trace_state=3, attributes=4), ids as lowercase hex.</summary>
internal sealed record IngestedSpanLink(string TraceId, string SpanId, string? TraceState, IReadOnlyDictionary<string, object?> Attributes);
