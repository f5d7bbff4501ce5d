using System.Text.Json.Nodes;

namespace Switchyard.Client;

/// <summary>One message of a chat prompt, its content still a template (<c>{{variable}}</c> not filled in).</summary>
/// <param name="Role">system, developer, user or assistant.</param>
/// <param name="Content">The content template; null when the content is not a plain string (see <paramref name="Json"/>).</param>
/// <param name="Json">The message as stored, with any other members (name, content parts...).</param>
public sealed record SwitchyardPromptMessage(string Role, string? Content, JsonObject Json);
