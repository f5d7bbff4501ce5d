using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>A prompt file read: the <c>POST /api/prompts</c> body it stands for, or why it cannot be pushed.</summary>
internal sealed record PromptFileResult(JsonObject? Body, string? Error)
{
    public static PromptFileResult Ok(JsonObject body) => new(body, null);

    public static PromptFileResult Fail(string error) => new(null, error);

    /// <summary>The prompt's name (the file name without its extension unless the file says otherwise).</summary>
    public string? Name => Body?["name"]?.GetValue<string>();
}
