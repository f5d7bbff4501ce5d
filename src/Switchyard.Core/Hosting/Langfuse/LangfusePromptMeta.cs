using System.Text.Json;

namespace Switchyard.Hosting;

/// <summary>A prompt in Langfuse's list: the versions matching the filters, their labels, and the newest one's type and config.</summary>
internal sealed record LangfusePromptMeta(
    string Name,
    string Type,
    IReadOnlyList<int> Versions,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Tags,
    DateTimeOffset LastUpdatedAt,
    JsonElement LastConfig);
