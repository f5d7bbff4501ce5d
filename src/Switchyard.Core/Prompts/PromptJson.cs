using System.Text.Json.Serialization;

namespace Switchyard.Prompts;

/// <summary>The registry's stored JSON: a version's declared variables.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PromptVariable[]))]
internal sealed partial class PromptJson : JsonSerializerContext;
