using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary>An OpenAI-shaped error body for endpoints outside the gateway pipeline.</summary>
internal sealed record ErrorBody([property: JsonPropertyName("error")] ErrorDetail Error);

internal sealed record ErrorDetail(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("code")] string? Code);

[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ErrorJson : JsonSerializerContext;
