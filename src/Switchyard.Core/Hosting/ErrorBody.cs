using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary>An OpenAI-shaped error body for endpoints outside the gateway pipeline.</summary>
internal sealed record ErrorBody([property: JsonPropertyName("error")] ErrorDetail Error);
