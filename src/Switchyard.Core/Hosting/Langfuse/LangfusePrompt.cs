using System.Text.Json;

namespace Switchyard.Hosting;

/// <summary>
/// One prompt version in Langfuse's shape, what <c>GET /api/public/v2/prompts/{name}</c> answers and the SDKs
/// build their prompt clients from. <see cref="Prompt"/> is a string (text) or an array of messages (chat).
/// </summary>
internal sealed record LangfusePrompt(
    string Id,
    string Name,
    int Version,
    string Type,
    JsonElement Prompt,
    JsonElement Config,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Tags,
    string? CommitMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string CreatedBy,
    bool IsActive,
    JsonElement? ResolutionGraph);
