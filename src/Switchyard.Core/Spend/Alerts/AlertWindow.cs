using System.Text.Json.Serialization;

namespace Switchyard.Spend.Alerts;

/// <summary>A budget window; <c>end</c> is null for a total budget.</summary>
internal sealed record AlertWindow(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("start")] DateTime Start,
    [property: JsonPropertyName("end")] DateTime? End);
