using System.Text.Json;

namespace Switchyard.Dashboard;

/// <summary>
/// A recorded request or response as messages a person reads: roles and text, tool calls and JSON
/// indented. Knows the OpenAI chat and Responses shapes and Anthropic's; anything else is shown as
/// indented JSON, or as the raw text when it is not JSON (redacted or cut content).
/// </summary>
internal static class MessageView
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static List<(string Role, string Text)> Request(string? content)
    {
        var lines = new List<(string, string)>();
        if (!TryParse(content, out var document))
        {
            return content is null ? lines : [("raw", content)];
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("system", out var system))
            {
                lines.Add(("system", Text(system)));
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("instructions", out var instructions) && instructions.ValueKind == JsonValueKind.String)
            {
                lines.Add(("system", instructions.GetString()!));
            }

            var messages = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var m) ? m
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("input", out var input) ? input : default;
            if (messages.ValueKind == JsonValueKind.String)
            {
                lines.Add(("user", messages.GetString()!));
            }
            else if (messages.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in messages.EnumerateArray())
                {
                    lines.Add(Message(message));
                }
            }
            else
            {
                lines.Add(("json", Indented(root)));
            }
        }

        return lines;
    }

    public static List<(string Role, string Text)> Response(string? content)
    {
        var lines = new List<(string, string)>();
        if (!TryParse(content, out var document))
        {
            return content is null ? lines : [("assistant", content)];
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    if (choice.TryGetProperty("message", out var message))
                    {
                        lines.Add(Message(message));
                    }
                }
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("content", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
            {
                lines.Add(("assistant", Text(blocks)));
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in output.EnumerateArray())
                {
                    lines.Add(Message(item));
                }
            }
            else
            {
                lines.Add(("json", Indented(root)));
            }
        }

        return lines;
    }

    private static (string, string) Message(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return ("json", Indented(message));
        }

        var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : message.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "message";
        var text = message.TryGetProperty("content", out var content) ? Text(content) : "";
        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.TryGetProperty("function", out var f) ? f : call;
                var name = function.TryGetProperty("name", out var n) ? n.GetString() : "tool";
                var arguments = function.TryGetProperty("arguments", out var a) ? a.ValueKind == JsonValueKind.String ? PrettyJsonText(a.GetString()!) : Indented(a) : "";
                text += (text.Length > 0 ? "\n" : "") + $"→ {name}({arguments})";
            }
        }

        return (role, text);
    }

    /// <summary>A content value: a string, or parts (text, images, tool use and results) one per line.</summary>
    private static string Text(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString()!,
        JsonValueKind.Null => "",
        JsonValueKind.Array => string.Join("\n", content.EnumerateArray().Select(Part)),
        _ => Indented(content),
    };

    private static string Part(JsonElement part)
    {
        if (part.ValueKind == JsonValueKind.String)
        {
            return part.GetString()!;
        }

        var type = part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return type switch
        {
            "text" or "input_text" or "output_text" when part.TryGetProperty("text", out var text) => text.GetString() ?? "",
            "image_url" or "image" or "input_image" => "[image]",
            "tool_use" => $"→ {(part.TryGetProperty("name", out var n) ? n.GetString() : "tool")}({(part.TryGetProperty("input", out var i) ? Indented(i) : "")})",
            "tool_result" => "← " + (part.TryGetProperty("content", out var c) ? Text(c) : ""),
            _ => Indented(part),
        };
    }

    private static string PrettyJsonText(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return Indented(document.RootElement);
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static string Indented(JsonElement element) => JsonSerializer.Serialize(element, s_indented);

    private static bool TryParse(string? content, out JsonDocument document)
    {
        document = null!;
        if (content is null || content.Length == 0 || content[0] is not ('{' or '['))
        {
            return false;
        }

        try
        {
            document = JsonDocument.Parse(content);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
