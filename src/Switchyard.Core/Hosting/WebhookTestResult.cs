using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

internal sealed record WebhookTestResult(
    [property: JsonPropertyName("webhook")] int Index,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("error")] string? Error);
