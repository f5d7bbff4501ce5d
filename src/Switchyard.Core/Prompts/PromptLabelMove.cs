namespace Switchyard.Prompts;

/// <summary>One audited move of a label: from which version (null when the label is new) to which, by whom, when and why.</summary>
internal sealed record PromptLabelMove(string Name, string Label, int? From, int To, string Actor, DateTimeOffset At, string? Reason);
