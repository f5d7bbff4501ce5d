using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary>The prompt API's request bodies, source-generated; a member the type lacks is refused.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, MaxDepth = 32)]
[JsonSerializable(typeof(PromptRequest))]
[JsonSerializable(typeof(LabelRequest))]
[JsonSerializable(typeof(ExperimentRequest))]
[JsonSerializable(typeof(RolloutRequest))]
[JsonSerializable(typeof(DecideRequest))]
internal sealed partial class PromptApiJson : JsonSerializerContext;
