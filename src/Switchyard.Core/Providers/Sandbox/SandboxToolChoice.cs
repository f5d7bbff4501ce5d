using System.Text.Json;

namespace Switchyard.Providers.Sandbox;

/// <summary>
/// <c>tool_choice</c> as Chat Completions and the Responses API both read it: <c>none</c>, <c>auto</c>,
/// <c>required</c>, or an object naming one function. Only that object's shape differs between the two
/// APIs, so each passes how to read the name from it.
/// </summary>
internal static class SandboxToolChoice
{
    /// <summary>Whether to call a tool, and which one when the request forces it.</summary>
    public static (bool CallTool, string? Forced) Read(JsonElement root, List<(string Name, JsonElement? Parameters)> tools, bool afterToolResult, Func<JsonElement, string> namedFunction)
    {
        JsonElement? choice = SandboxJson.Optional(root, "tool_choice");
        if (choice is null)
        {
            return (tools.Count > 0 && !afterToolResult, null);
        }

        if (choice.Value.ValueKind == JsonValueKind.String)
        {
            return choice.Value.GetString() switch
            {
                "none" => (false, null),
                "auto" => (tools.Count > 0 && !afterToolResult, null),
                "required" when tools.Count > 0 => (true, null),
                "required" => throw new SandboxRequestException("Invalid value for 'tool_choice': 'required' needs 'tools'.", "tool_choice"),
                _ => throw new SandboxRequestException("Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named function.", "tool_choice"),
            };
        }

        if (choice.Value.ValueKind != JsonValueKind.Object)
        {
            throw SandboxJson.WrongType("tool_choice", "a string or an object");
        }

        string name = namedFunction(choice.Value);
        if (!tools.Exists(t => t.Name == name))
        {
            throw new SandboxRequestException($"Invalid value for 'tool_choice': function '{name}' is not among 'tools'.", "tool_choice");
        }

        return (true, name);
    }
}
