using System.Text.Json.Serialization;

namespace Switchyard.Spend.Alerts;

/// <summary>Who an alert is about.</summary>
internal sealed record AlertSubject(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("id")] string Id);
