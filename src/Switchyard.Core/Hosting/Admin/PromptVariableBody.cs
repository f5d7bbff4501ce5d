using System.Text.Json;

namespace Switchyard.Hosting;

/// <summary>A declared variable in a prompt body; its default may be any JSON value of its type.</summary>
internal sealed record PromptVariableBody
{
    public string? Name { get; init; }

    public string? Type { get; init; }

    public JsonElement? Default { get; init; }
}
