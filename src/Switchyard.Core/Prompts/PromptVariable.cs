namespace Switchyard.Prompts;

/// <summary>A variable a template declares: its name, type (string, number, boolean or json), and the default used when a call gives none.</summary>
internal sealed record PromptVariable(string Name, string Type = "string", string? Default = null);
