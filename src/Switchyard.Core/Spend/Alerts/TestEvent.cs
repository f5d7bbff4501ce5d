using System.Text.Json.Serialization;

namespace Switchyard.Spend.Alerts;

/// <summary>The <c>json</c> body of <c>POST /api/alerts/test</c>.</summary>
internal sealed record TestEvent(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("sent_at")] DateTime SentAt);
