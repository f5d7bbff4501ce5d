using System.Text.Json.Nodes;

namespace Switchyard.Client;

/// <summary>A variable a prompt declares.</summary>
/// <param name="Name">The name used as <c>{{name}}</c> in the template.</param>
/// <param name="Type">string, number, boolean or json.</param>
/// <param name="Default">The value used when a call gives none; null when the variable is required.</param>
public sealed record SwitchyardPromptVariable(string Name, string Type, JsonNode? Default);
