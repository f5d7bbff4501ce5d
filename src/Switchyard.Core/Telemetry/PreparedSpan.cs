using Switchyard.Telemetry.Otlp;

namespace Switchyard.Telemetry;

/// <summary>An ingested span as stored: priced, with its attributes and events as JSON.</summary>
internal sealed record PreparedSpan(IngestedSpan Span, long? CostNanoUsd, string AttributesJson, string? EventsJson);
