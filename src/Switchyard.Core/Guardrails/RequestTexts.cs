using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Gateway;

namespace Switchyard.Guardrails;

/// <summary>
/// The texts of a request that guards read, for each API the gateway serves (chat completions, Anthropic
/// messages, responses), and the way back: a body with some of them replaced.
/// </summary>
internal static class RequestTexts
{
    /// <summary>
    /// Text as it was: a rewritten body goes to a model API and into a trace, not into HTML, so there is no
    /// reason to turn every non-ASCII character and <c>&lt;</c> into <c>\uXXXX</c>.
    /// </summary>
    public static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static List<GuardText> Of(ClientApi api, JsonElement root)
    {
        var texts = new List<GuardText>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return texts;
        }

        switch (api)
        {
            case ClientApi.ChatCompletions:
                Chat(root, texts);
                break;
            case ClientApi.Messages:
            case ClientApi.CountTokens:
                Anthropic(root, texts);
                break;
            case ClientApi.Responses:
                Responses(root, texts);
                break;
            case ClientApi.Embeddings:
                Embeddings(root, texts);
                break;
        }

        return texts;
    }

    /// <summary>The body with each text at <see cref="GuardText.Path"/> replaced; the rest as it was, property order kept.</summary>
    public static byte[] Rewrite(ReadOnlySpan<byte> body, IReadOnlyList<(object[] Path, string Text)> replacements)
    {
        var root = JsonNode.Parse(body) ?? throw new InvalidOperationException("A body that parsed once parses again.");
        foreach (var (path, text) in replacements)
        {
            JsonNode node = root;
            for (var i = 0; i < path.Length - 1; i++)
            {
                node = path[i] is int index ? node[index]! : node[(string)path[i]]!;
            }

            var last = path[^1];
            if (last is int at)
            {
                node[at] = text;
            }
            else
            {
                node[(string)last] = text;
            }
        }

        var output = new System.Buffers.ArrayBufferWriter<byte>(body.Length + 64);
        using (var writer = new Utf8JsonWriter(output, Relaxed))
        {
            root.WriteTo(writer);
        }

        return output.WrittenSpan.ToArray();
    }

    private static void Chat(JsonElement root, List<GuardText> texts)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var lastAssistant = LastIndexOfRole(messages, "assistant");
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var content = RoleOf(message) switch
            {
                "system" or "developer" => GuardContent.Instruction,
                "assistant" => GuardContent.Answer,
                "tool" or "function" => GuardContent.Data,
                _ => GuardContent.User,
            };
            Content(message, content, ["messages", i, "content"], i > lastAssistant, texts);
            i++;
        }
    }

    private static void Anthropic(JsonElement root, List<GuardText> texts)
    {
        if (root.TryGetProperty("system", out var system))
        {
            Blocks(system, GuardContent.Instruction, ["system"], isNew: true, texts);
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var lastAssistant = LastIndexOfRole(messages, "assistant");
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var content = RoleOf(message) == "assistant" ? GuardContent.Answer : GuardContent.User;
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var body))
            {
                Blocks(body, content, ["messages", i, "content"], i > lastAssistant, texts);
            }

            i++;
        }
    }

    private static void Responses(JsonElement root, List<GuardText> texts)
    {
        if (root.TryGetProperty("instructions", out var instructions) && instructions.ValueKind == JsonValueKind.String)
        {
            texts.Add(new GuardText(instructions.GetString()!, GuardContent.Instruction, ["instructions"], IsNew: true));
        }

        if (!root.TryGetProperty("input", out var input))
        {
            return;
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            texts.Add(new GuardText(input.GetString()!, GuardContent.User, ["input"], IsNew: true));
            return;
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var lastAssistant = LastIndexOfRole(input, "assistant");
        var i = 0;
        foreach (var item in input.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                if (item.TryGetProperty("type", out var type) && type.ValueEquals("function_call_output"u8) && item.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.String)
                {
                    texts.Add(new GuardText(output.GetString()!, GuardContent.Data, ["input", i, "output"], i > lastAssistant));
                }
                else
                {
                    var content = RoleOf(item) switch
                    {
                        "system" or "developer" => GuardContent.Instruction,
                        "assistant" => GuardContent.Answer,
                        _ => GuardContent.User,
                    };
                    Content(item, content, ["input", i, "content"], i > lastAssistant, texts);
                }
            }

            i++;
        }
    }

    private static void Embeddings(JsonElement root, List<GuardText> texts)
    {
        if (!root.TryGetProperty("input", out var input))
        {
            return;
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            texts.Add(new GuardText(input.GetString()!, GuardContent.User, ["input"], IsNew: true));
        }
        else if (input.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in input.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    texts.Add(new GuardText(item.GetString()!, GuardContent.User, ["input", i], IsNew: true));
                }

                i++;
            }
        }
    }

    /// <summary>An OpenAI content: a string, or parts whose text parts (<c>text</c>, <c>input_text</c>) are read.</summary>
    private static void Content(JsonElement message, GuardContent content, object[] path, bool isNew, List<GuardText> texts)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var value))
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            texts.Add(new GuardText(value.GetString()!, content, path, isNew));
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var j = 0;
        foreach (var part in value.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                texts.Add(new GuardText(text.GetString()!, content, [.. path, j, "text"], isNew));
            }

            j++;
        }
    }

    /// <summary>An Anthropic content: a string, or blocks whose text blocks and tool results (as data) are read.</summary>
    private static void Blocks(JsonElement value, GuardContent content, object[] path, bool isNew, List<GuardText> texts)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            texts.Add(new GuardText(value.GetString()!, content, path, isNew));
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var j = 0;
        foreach (var block in value.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object)
            {
                if (block.TryGetProperty("type", out var type) && type.ValueEquals("tool_result"u8) && block.TryGetProperty("content", out var result))
                {
                    Blocks(result, GuardContent.Data, [.. path, j, "content"], isNew, texts);
                }
                else if (block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    texts.Add(new GuardText(text.GetString()!, content, [.. path, j, "text"], isNew));
                }
            }

            j++;
        }
    }

    private static string? RoleOf(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String ? role.GetString() : null;

    private static int LastIndexOfRole(JsonElement messages, string role)
    {
        var last = -1;
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (RoleOf(message) == role)
            {
                last = i;
            }

            i++;
        }

        return last;
    }
}
