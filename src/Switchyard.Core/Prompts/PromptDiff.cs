using System.Text;
using System.Text.Json;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Switchyard.Prompts;

/// <summary>
/// Two versions side by side as text a reviewer reads: the template (a chat prompt one line per message
/// line, prefixed by its role), the variables and what the version was written for, diffed line by line.
/// </summary>
internal static class PromptDiff
{
    /// <summary>The lines of both versions, each marked <c>+</c> (only in <paramref name="to"/>), <c>-</c> (only in <paramref name="from"/>) or <c>" "</c>.</summary>
    public static List<(char Change, string Text)> Lines(PromptVersion from, PromptVersion to)
    {
        var model = InlineDiffBuilder.Diff(Describe(from), Describe(to), ignoreWhiteSpace: false);
        return [.. model.Lines.Select(line => (line.Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' }, line.Text))];
    }

    /// <summary>A version as the lines a diff compares.</summary>
    public static string Describe(PromptVersion version)
    {
        var content = version.Content;
        var text = new StringBuilder();
        if (content.Kind == PromptKind.Text)
        {
            text.Append(content.Template).Append('\n');
        }
        else
        {
            using var messages = JsonDocument.Parse(content.Template);
            foreach (var message in messages.RootElement.EnumerateArray())
            {
                var role = message.GetProperty("role").GetString();
                var body = message.TryGetProperty("content", out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : "";
                foreach (var line in (body ?? "").Split('\n'))
                {
                    text.Append('[').Append(role).Append("] ").Append(line).Append('\n');
                }
            }
        }

        text.Append("---\n");
        foreach (var variable in content.Variables)
        {
            text.Append("variable ").Append(variable.Name).Append(": ").Append(variable.Type).Append(variable.Default is null ? "" : " = " + variable.Default).Append('\n');
        }

        foreach (var (field, value) in (ReadOnlySpan<(string, string?)>)[("model", content.ModelGroup), ("pinned_model", content.PinnedModel), ("parameters", content.ParametersJson), ("tools", content.ToolsJson), ("response_format", content.ResponseFormatJson)])
        {
            if (value is not null)
            {
                text.Append(field).Append(": ").Append(value).Append('\n');
            }
        }

        return text.ToString();
    }
}
