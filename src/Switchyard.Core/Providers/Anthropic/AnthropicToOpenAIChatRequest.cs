using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Switchyard.Providers.Anthropic;

/// <summary>Turns an Anthropic Messages request body into an OpenAI Chat Completions request body.</summary>
internal static class AnthropicToOpenAIChatRequest
{
    public static RequestTranslation Translate(ReadOnlySpan<byte> anthropicBody, string upstreamModel)
    {
        try
        {
            using var document = WireJson.Parse(anthropicBody);
            return Translate(document.RootElement, upstreamModel);
        }
        catch (JsonException ex)
        {
            return RequestTranslation.Failed($"The request body is not valid JSON: {ex.Message}");
        }
        catch (TranslationException ex)
        {
            return RequestTranslation.Failed(ex.Message);
        }
        catch (InvalidOperationException)
        {
            // A JsonElement accessed as the wrong kind: the shape is wrong somewhere the readers did not check.
            return RequestTranslation.Failed("The request body does not have the shape of a messages request.");
        }
    }

    private static RequestTranslation Translate(JsonElement root, string upstreamModel)
    {
        WireJson.RequireObject(root, "body");
        var messages = WireJson.GetArray(root, "messages", "messages") ?? throw new TranslationException("'messages' is required.");
        var stream = WireJson.GetBool(root, "stream", "stream") ?? false;

        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, messages.GetRawText().Length));
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model", upstreamModel);
            writer.WriteStartArray("messages");
            WriteSystem(root, writer);
            var index = 0;
            foreach (var message in messages.EnumerateArray())
            {
                WriteMessage(message, $"messages[{index++}]", writer);
            }

            writer.WriteEndArray();

            if (WireJson.GetInteger(root, "max_tokens", "max_tokens") is { } maxTokens)
            {
                writer.WriteNumber("max_tokens", maxTokens);
            }

            WireJson.CopyNumber(root, "temperature", "temperature", writer, "temperature");
            WireJson.CopyNumber(root, "top_p", "top_p", writer, "top_p");
            WriteStop(root, writer);
            if (stream)
            {
                writer.WriteBoolean("stream", true);

                // Anthropic streams always report usage; OpenAI ones only when asked.
                writer.WriteStartObject("stream_options");
                writer.WriteBoolean("include_usage", true);
                writer.WriteEndObject();
            }

            if (WireJson.GetObject(root, "metadata", "metadata") is { } metadata
                && WireJson.GetString(metadata, "user_id", "metadata.user_id") is { Length: > 0 } user)
            {
                writer.WriteString("user", user);
            }

            WriteTools(root, writer);
            writer.WriteEndObject();
        }

        return RequestTranslation.Succeeded(buffer.WrittenSpan.ToArray(), stream, includeUsage: stream);
    }

    private static void WriteSystem(JsonElement root, Utf8JsonWriter writer)
    {
        string? system;
        switch (WireJson.Get(root, "system"))
        {
            case { ValueKind: JsonValueKind.String } text:
                system = text.GetString();
                break;
            case { ValueKind: JsonValueKind.Array } blocks:
                // Joined into one string: not every OpenAI-compatible server accepts parts in a system message.
                var builder = new StringBuilder();
                var index = 0;
                foreach (var block in blocks.EnumerateArray())
                {
                    var path = $"system[{index++}]";
                    WireJson.RequireObject(block, path);
                    if (WireJson.RequireString(block, "type", path + ".type") != "text")
                    {
                        throw new TranslationException($"'{path}' must be a text block.");
                    }

                    if (builder.Length > 0)
                    {
                        builder.Append("\n\n");
                    }

                    builder.Append(WireJson.RequireString(block, "text", path + ".text"));
                }

                system = builder.ToString();
                break;
            case null:
                system = null;
                break;
            default:
                throw new TranslationException("'system' must be a string or an array of text blocks.");
        }

        if (!string.IsNullOrEmpty(system))
        {
            writer.WriteStartObject();
            writer.WriteString("role", "system");
            writer.WriteString("content", system);
            writer.WriteEndObject();
        }
    }

    private static void WriteMessage(JsonElement message, string path, Utf8JsonWriter writer)
    {
        WireJson.RequireObject(message, path);
        var role = WireJson.RequireString(message, "role", path + ".role");
        if (role is not ("user" or "assistant"))
        {
            throw new TranslationException($"'{path}.role' \"{role}\" is not supported; use user or assistant.");
        }

        var content = WireJson.Get(message, "content") ?? throw new TranslationException($"'{path}.content' is required.");
        if (content.ValueKind == JsonValueKind.String)
        {
            writer.WriteStartObject();
            writer.WriteString("role", role);
            writer.WriteString("content", content.GetString());
            writer.WriteEndObject();
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new TranslationException($"'{path}.content' must be a string or an array of content blocks.");
        }

        if (role == "user")
        {
            WriteUser(content, path, writer);
        }
        else
        {
            WriteAssistant(content, path, writer);
        }
    }

    /// <summary>
    /// Tool results become <c>tool</c> messages, written first because OpenAI wants them right after the
    /// assistant message that called the tools; the remaining blocks form one user message.
    /// </summary>
    private static void WriteUser(JsonElement content, string path, Utf8JsonWriter writer)
    {
        var index = 0;
        var otherBlocks = 0;
        var onlyText = true;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content[{index++}]";
            WireJson.RequireObject(block, blockPath);
            var type = WireJson.RequireString(block, "type", blockPath + ".type");
            if (type == "tool_result")
            {
                WriteToolMessage(block, blockPath, writer);
            }
            else
            {
                otherBlocks++;
                onlyText &= type == "text";
            }
        }

        if (otherBlocks == 0)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("role", "user");
        if (onlyText && otherBlocks == 1)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (WireJson.StringOrNull(block, "type") == "text")
                {
                    writer.WriteString("content", WireJson.RequireString(block, "text", path + ".content[].text"));
                }
            }
        }
        else
        {
            writer.WriteStartArray("content");
            index = 0;
            foreach (var block in content.EnumerateArray())
            {
                var blockPath = $"{path}.content[{index++}]";
                var type = WireJson.RequireString(block, "type", blockPath + ".type");
                switch (type)
                {
                    case "tool_result":
                        break;
                    case "text":
                        writer.WriteStartObject();
                        writer.WriteString("type", "text");
                        writer.WriteString("text", WireJson.RequireString(block, "text", blockPath + ".text"));
                        writer.WriteEndObject();
                        break;
                    case "image":
                        WriteImagePart(block, blockPath, writer);
                        break;
                    case "document":
                        WriteFilePart(block, blockPath, writer);
                        break;
                    default:
                        throw new TranslationException($"'{blockPath}.type' \"{type}\" is not supported in user messages sent to OpenAI-compatible models.");
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteToolMessage(JsonElement block, string path, Utf8JsonWriter writer)
    {
        var toolUseId = WireJson.RequireString(block, "tool_use_id", path + ".tool_use_id");
        string text;
        switch (WireJson.Get(block, "content"))
        {
            case { ValueKind: JsonValueKind.String } value:
                text = value.GetString()!;
                break;
            case { ValueKind: JsonValueKind.Array } blocks:
                var builder = new StringBuilder();
                var index = 0;
                foreach (var inner in blocks.EnumerateArray())
                {
                    var innerPath = $"{path}.content[{index++}]";
                    WireJson.RequireObject(inner, innerPath);
                    var type = WireJson.RequireString(inner, "type", innerPath + ".type");
                    if (type != "text")
                    {
                        throw new TranslationException($"'{innerPath}.type' \"{type}\" is not supported: OpenAI tool messages carry only text.");
                    }

                    if (builder.Length > 0)
                    {
                        builder.Append('\n');
                    }

                    builder.Append(WireJson.RequireString(inner, "text", innerPath + ".text"));
                }

                text = builder.ToString();
                break;
            case null:
                text = "";
                break;
            default:
                throw new TranslationException($"'{path}.content' must be a string or an array of content blocks.");
        }

        writer.WriteStartObject();
        writer.WriteString("role", "tool");
        writer.WriteString("tool_call_id", toolUseId);
        writer.WriteString("content", text);
        writer.WriteEndObject();
    }

    private static void WriteImagePart(JsonElement block, string path, Utf8JsonWriter writer)
    {
        var source = WireJson.RequireObject(block, "source", path + ".source");
        var sourceType = WireJson.RequireString(source, "type", path + ".source.type");
        var url = sourceType switch
        {
            "base64" => MediaUrl.ToData(
                WireJson.RequireString(source, "media_type", path + ".source.media_type"),
                WireJson.RequireString(source, "data", path + ".source.data")),
            "url" => WireJson.RequireString(source, "url", path + ".source.url"),
            _ => throw new TranslationException($"'{path}.source.type' \"{sourceType}\" is not supported; use base64 or url."),
        };

        writer.WriteStartObject();
        writer.WriteString("type", "image_url");
        writer.WriteStartObject("image_url");
        writer.WriteString("url", url);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Base64 documents become inline <c>file</c> parts, the only way OpenAI chat takes a PDF without an upload.</summary>
    private static void WriteFilePart(JsonElement block, string path, Utf8JsonWriter writer)
    {
        var source = WireJson.RequireObject(block, "source", path + ".source");
        var sourceType = WireJson.RequireString(source, "type", path + ".source.type");
        if (sourceType != "base64")
        {
            throw new TranslationException($"'{path}.source.type' \"{sourceType}\" is not supported for documents; use base64.");
        }

        writer.WriteStartObject();
        writer.WriteString("type", "file");
        writer.WriteStartObject("file");
        if (WireJson.GetString(block, "title", path + ".title") is { Length: > 0 } title)
        {
            writer.WriteString("filename", title);
        }

        writer.WriteString("file_data", MediaUrl.ToData(
            WireJson.RequireString(source, "media_type", path + ".source.media_type"),
            WireJson.RequireString(source, "data", path + ".source.data")));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteAssistant(JsonElement content, string path, Utf8JsonWriter writer)
    {
        var text = new StringBuilder();
        var toolCalls = 0;
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content[{index++}]";
            WireJson.RequireObject(block, blockPath);
            var type = WireJson.RequireString(block, "type", blockPath + ".type");
            switch (type)
            {
                case "text":
                    text.Append(WireJson.RequireString(block, "text", blockPath + ".text"));
                    break;
                case "tool_use":
                    WireJson.RequireString(block, "id", blockPath + ".id");
                    WireJson.RequireString(block, "name", blockPath + ".name");
                    WireJson.GetObject(block, "input", blockPath + ".input");
                    toolCalls++;
                    break;
                case "thinking" or "redacted_thinking":
                    // OpenAI chat has no way to send reasoning back to the model.
                    break;
                default:
                    throw new TranslationException($"'{blockPath}.type' \"{type}\" is not supported in assistant messages sent to OpenAI-compatible models.");
            }
        }

        writer.WriteStartObject();
        writer.WriteString("role", "assistant");
        if (text.Length > 0 || toolCalls == 0)
        {
            writer.WriteString("content", text.ToString());
        }
        else
        {
            writer.WriteNull("content");
        }

        if (toolCalls > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var block in content.EnumerateArray())
            {
                if (WireJson.StringOrNull(block, "type") != "tool_use")
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("id", WireJson.StringOrNull(block, "id"));
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", WireJson.StringOrNull(block, "name"));
                writer.WriteString("arguments", WireJson.Get(block, "input") is { } input ? input.GetRawText() : "{}");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteStop(JsonElement root, Utf8JsonWriter writer)
    {
        if (WireJson.GetArray(root, "stop_sequences", "stop_sequences") is not { } stops || stops.GetArrayLength() == 0)
        {
            return;
        }

        writer.WriteStartArray("stop");
        var index = 0;
        foreach (var stop in stops.EnumerateArray())
        {
            if (stop.ValueKind != JsonValueKind.String)
            {
                throw new TranslationException($"'stop_sequences[{index}]' must be a string.");
            }

            index++;
            writer.WriteStringValue(stop.GetString());
        }

        writer.WriteEndArray();
    }

    private static void WriteTools(JsonElement root, Utf8JsonWriter writer)
    {
        var tools = WireJson.GetArray(root, "tools", "tools");
        var choice = WireJson.GetObject(root, "tool_choice", "tool_choice");
        if (tools is not { } toolArray || toolArray.GetArrayLength() == 0)
        {
            return;
        }

        writer.WriteStartArray("tools");
        var index = 0;
        foreach (var tool in toolArray.EnumerateArray())
        {
            var path = $"tools[{index++}]";
            WireJson.RequireObject(tool, path);

            // Client tools have no type (or "custom"); typed ones are Anthropic-hosted server tools.
            if (WireJson.GetString(tool, "type", path + ".type") is { } type && type != "custom")
            {
                throw new TranslationException($"'{path}.type' \"{type}\" is an Anthropic server tool, which OpenAI-compatible models cannot run.");
            }

            writer.WriteStartObject();
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", WireJson.RequireString(tool, "name", path + ".name"));
            if (WireJson.GetString(tool, "description", path + ".description") is { } description)
            {
                writer.WriteString("description", description);
            }

            writer.WritePropertyName("parameters");
            WireJson.WriteSchema(writer, WireJson.GetObject(tool, "input_schema", path + ".input_schema"));

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        if (choice is not { } toolChoice)
        {
            return;
        }

        var choiceType = WireJson.RequireString(toolChoice, "type", "tool_choice.type");
        switch (choiceType)
        {
            case "auto":
                writer.WriteString("tool_choice", "auto");
                break;
            case "any":
                writer.WriteString("tool_choice", "required");
                break;
            case "none":
                writer.WriteString("tool_choice", "none");
                break;
            case "tool":
                writer.WriteStartObject("tool_choice");
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", WireJson.RequireString(toolChoice, "name", "tool_choice.name"));
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            default:
                throw new TranslationException($"'tool_choice.type' \"{choiceType}\" is not supported; use auto, any, tool or none.");
        }

        if (WireJson.GetBool(toolChoice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use") == true)
        {
            writer.WriteBoolean("parallel_tool_calls", false);
        }
    }
}
