namespace Switchyard.Prompts;

/// <summary>A prompt in a list: its newest version, its labels and when it last changed.</summary>
internal sealed record PromptSummary(string Name, int LatestVersion, IReadOnlyDictionary<string, int> Labels, DateTimeOffset UpdatedAt);
