using System.Text.Json.Serialization;

namespace Switchyard.Prompts.Traffic;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TrafficSplit))]
internal sealed partial class TrafficJson : JsonSerializerContext;
