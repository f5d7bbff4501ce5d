using System.Text.Json;

namespace Switchyard.Hosting;

/// <summary>The body of Langfuse's <c>POST /api/public/v2/prompts</c>: a new version of a text or chat prompt.</summary>
internal sealed record LangfusePromptBody
{
    public string? Name { get; init; }

    /// <summary><c>text</c> (the default) or <c>chat</c>.</summary>
    public string? Type { get; init; }

    /// <summary>A string, or an array of <c>{role, content}</c> messages.</summary>
    public JsonElement Prompt { get; init; }

    /// <summary>Any JSON object; mapped onto the version's model, parameters, tools and format (<see cref="LangfusePromptConfig"/>).</summary>
    public JsonElement? Config { get; init; }

    public string[]? Labels { get; init; }

    public string[]? Tags { get; init; }

    public string? CommitMessage { get; init; }
}
