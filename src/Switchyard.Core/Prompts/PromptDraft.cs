namespace Switchyard.Prompts;

/// <summary>
/// A new version as pushed: the template and what it was written for. <see cref="Template"/> is the text of a
/// text prompt, or the JSON array of chat messages of a chat prompt. JSON members are kept as their raw text.
/// </summary>
internal sealed record PromptDraft
{
    public required string Name { get; init; }

    public required PromptKind Kind { get; init; }

    public required string Template { get; init; }

    public IReadOnlyList<PromptVariable> Variables { get; init; } = [];

    /// <summary>The model group the version was written for; null leaves the request's.</summary>
    public string? ModelGroup { get; init; }

    /// <summary>A model snapshot the version pins (for example <c>gpt-4o-2024-08-06</c>).</summary>
    public string? PinnedModel { get; init; }

    /// <summary>Request parameters (temperature, max_tokens...) as a JSON object.</summary>
    public string? ParametersJson { get; init; }

    public string? ToolsJson { get; init; }

    public string? ResponseFormatJson { get; init; }

    /// <summary>The commit message.</summary>
    public string? Message { get; init; }

    /// <summary>The key (or admin) that pushed it.</summary>
    public string? Author { get; init; }

    /// <summary>
    /// SHA-256 over everything that changes what a call gets (not the message or author), so pushing the
    /// same content twice makes one version.
    /// </summary>
    public string ContentHash()
    {
        var text = new System.Text.StringBuilder();
        foreach (var part in (ReadOnlySpan<string?>)[Kind.ToString(), Template, ModelGroup, PinnedModel, ParametersJson, ToolsJson, ResponseFormatJson])
        {
            text.Append(part?.Length ?? -1).Append(':').Append(part).Append('\n');
        }

        foreach (var variable in Variables)
        {
            text.Append(variable.Name).Append('\u001f').Append(variable.Type).Append('\u001f').Append(variable.Default?.Length ?? -1).Append(':').Append(variable.Default).Append('\n');
        }

        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }
}
