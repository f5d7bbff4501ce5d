namespace Switchyard.Telemetry.Otlp;

/// <summary>A span event (trace.proto <c>Span.Event</c>: time_unix_nano=1, name=2, attributes=3).</summary>
internal sealed record IngestedSpanEvent(string Name, long TimeUnixNano, IReadOnlyDictionary<string, object?> Attributes);
