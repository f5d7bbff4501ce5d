using System.Text.Json;

namespace Switchyard.Hosting;

/// <summary>The body of <c>POST /api/prompts</c>: a new version of a prompt (made only when its content changed).</summary>
internal sealed record PromptRequest
{
    public string? Name { get; init; }

    /// <summary><c>chat</c> or <c>text</c>; by default <c>chat</c> when <see cref="Prompt"/> is an array, else <c>text</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The template: a string, or an array of chat messages.</summary>
    public JsonElement Prompt { get; init; }

    public PromptVariableBody[]? Variables { get; init; }

    /// <summary>The model group the version was written for.</summary>
    public string? Model { get; init; }

    public string? PinnedModel { get; init; }

    public JsonElement? Parameters { get; init; }

    public JsonElement? Tools { get; init; }

    public JsonElement? ResponseFormat { get; init; }

    /// <summary>The commit message.</summary>
    public string? Message { get; init; }

    /// <summary>Labels to point at the version once it exists.</summary>
    public string[]? Labels { get; init; }
}
