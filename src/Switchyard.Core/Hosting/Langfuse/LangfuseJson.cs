using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary>
/// The Langfuse-compatible prompt API's bodies, source-generated in Langfuse's camelCase. Unknown request
/// members are ignored, as Langfuse's own schema drops them, so a newer SDK sending more still works.
/// Nulls are written: the SDKs read <c>commitMessage: null</c> as Langfuse sends it.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    MaxDepth = 64,
    Converters = [typeof(UtcTimeConverter)])]
[JsonSerializable(typeof(LangfusePromptBody))]
[JsonSerializable(typeof(LangfuseLabelsBody))]
[JsonSerializable(typeof(LangfusePrompt))]
[JsonSerializable(typeof(LangfusePromptList))]
[JsonSerializable(typeof(LangfuseError))]
[JsonSerializable(typeof(string))]
internal sealed partial class LangfuseJson : JsonSerializerContext;
