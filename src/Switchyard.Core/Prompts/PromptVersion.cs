namespace Switchyard.Prompts;

/// <summary>An immutable, numbered version of a prompt (from 1), as stored.</summary>
internal sealed record PromptVersion(int Version, PromptDraft Content, DateTimeOffset CreatedAt, string ContentHash)
{
    public string Name => Content.Name;
}
