using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

internal sealed record AlertDelivery(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("delivered_at")] DateTime? DeliveredAt);
