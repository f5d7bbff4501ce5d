using System.Buffers;
using System.Text.Json;

namespace Switchyard.Providers.Anthropic;

/// <summary>Turns an OpenAI Chat Completions request body into an Anthropic Messages request body.</summary>
internal static class OpenAIChatToAnthropicRequest
{
    private const string User = "user";
    private const string Assistant = "assistant";

    public static RequestTranslation Translate(ReadOnlySpan<byte> openAiChatBody, string upstreamModel, int defaultMaxTokens)
    {
        try
        {
            using var document = WireJson.Parse(openAiChatBody);
            return Translate(document.RootElement, upstreamModel, defaultMaxTokens);
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
            return RequestTranslation.Failed("The request body does not have the shape of a chat completions request.");
        }
    }

    private static RequestTranslation Translate(JsonElement root, string upstreamModel, int defaultMaxTokens)
    {
        WireJson.RequireObject(root, "body");
        var messages = WireJson.GetArray(root, "messages", "messages") ?? throw new TranslationException("'messages' is required.");
        if (messages.GetArrayLength() == 0)
        {
            throw new TranslationException("'messages' must not be empty.");
        }

        if (WireJson.GetInteger(root, "n", "n") is > 1)
        {
            throw new TranslationException("'n' greater than 1 is not supported by Anthropic models.");
        }

        var maxTokens = WireJson.GetInteger(root, "max_completion_tokens", "max_completion_tokens")
            ?? WireJson.GetInteger(root, "max_tokens", "max_tokens")
            ?? defaultMaxTokens;
        if (maxTokens < 1)
        {
            throw new TranslationException("'max_tokens' must be at least 1.");
        }

        var stream = WireJson.GetBool(root, "stream", "stream") ?? false;
        var includeUsage = WireJson.GetObject(root, "stream_options", "stream_options") is { } streamOptions
            && (WireJson.GetBool(streamOptions, "include_usage", "stream_options.include_usage") ?? false);

        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, messages.GetRawText().Length));
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model", upstreamModel);
            writer.WriteNumber("max_tokens", maxTokens);
            WriteSystem(messages, writer);
            WriteMessages(messages, writer);
            WriteStop(root, writer);
            WireJson.CopyNumber(root, "temperature", "temperature", writer, "temperature");
            WireJson.CopyNumber(root, "top_p", "top_p", writer, "top_p");
            if (stream)
            {
                writer.WriteBoolean("stream", true);
            }

            if (WireJson.GetString(root, "user", "user") is { Length: > 0 } user)
            {
                writer.WriteStartObject("metadata");
                writer.WriteString("user_id", user);
                writer.WriteEndObject();
            }

            WriteTools(root, writer);
            writer.WriteEndObject();
        }

        return RequestTranslation.Succeeded(buffer.WrittenSpan.ToArray(), stream, includeUsage);
    }

    /// <summary>Anthropic has no system role: every system and developer message joins the top-level <c>system</c>.</summary>
    private static void WriteSystem(JsonElement messages, Utf8JsonWriter writer)
    {
        var parts = new List<string>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            WireJson.RequireObject(message, path);
            var role = WireJson.RequireString(message, "role", path + ".role");
            if (role is not ("system" or "developer"))
            {
                continue;
            }

            switch (WireJson.Get(message, "content"))
            {
                case { ValueKind: JsonValueKind.String } text:
                    AddIfNotEmpty(parts, text.GetString());
                    break;
                case { ValueKind: JsonValueKind.Array } content:
                    var partIndex = 0;
                    foreach (var part in content.EnumerateArray())
                    {
                        var partPath = $"{path}.content[{partIndex++}]";
                        WireJson.RequireObject(part, partPath);
                        if (WireJson.RequireString(part, "type", partPath + ".type") != "text")
                        {
                            throw new TranslationException($"'{partPath}' must be a text part: system messages carry only text.");
                        }

                        AddIfNotEmpty(parts, WireJson.RequireString(part, "text", partPath + ".text"));
                    }

                    break;
                case null:
                    break;
                default:
                    throw new TranslationException($"'{path}.content' must be a string or an array of parts.");
            }
        }

        if (parts.Count == 1)
        {
            writer.WriteString("system", parts[0]);
        }
        else if (parts.Count > 1)
        {
            writer.WriteStartArray("system");
            foreach (var part in parts)
            {
                WriteText(writer, part);
            }

            writer.WriteEndArray();
        }

        static void AddIfNotEmpty(List<string> parts, string? text)
        {
            // Anthropic rejects empty text blocks.
            if (!string.IsNullOrEmpty(text))
            {
                parts.Add(text);
            }
        }
    }

    private static void WriteMessages(JsonElement messages, Utf8JsonWriter writer)
    {
        writer.WriteStartArray("messages");
        using var turns = new AnthropicTurnBuilder();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            var role = WireJson.RequireString(message, "role", path + ".role");
            switch (role)
            {
                case "system" or "developer":
                    break;
                case "user":
                    WriteUserContent(message, path, turns, writer);
                    break;
                case "assistant":
                    WriteAssistant(message, path, turns, writer);
                    break;
                case "tool":
                    WriteToolResult(message, path, turns, writer);
                    break;
                default:
                    throw new TranslationException($"'{path}.role' \"{role}\" is not supported; use system, developer, user, assistant or tool.");
            }
        }

        turns.Flush(writer);
        if (turns.TurnCount == 0)
        {
            throw new TranslationException("'messages' must contain at least one user or assistant message with content.");
        }

        writer.WriteEndArray();
    }

    private static void WriteUserContent(JsonElement message, string path, AnthropicTurnBuilder turns, Utf8JsonWriter output)
    {
        switch (WireJson.Get(message, "content"))
        {
            case { ValueKind: JsonValueKind.String } text:
                if (text.GetString() is { Length: > 0 } value)
                {
                    WriteText(turns.NextBlock(User, output), value);
                }

                break;
            case { ValueKind: JsonValueKind.Array } content:
                var index = 0;
                foreach (var part in content.EnumerateArray())
                {
                    WriteUserPart(part, $"{path}.content[{index++}]", turns, output);
                }

                break;
            case null:
                break;
            default:
                throw new TranslationException($"'{path}.content' must be a string or an array of parts.");
        }
    }

    private static void WriteUserPart(JsonElement part, string path, AnthropicTurnBuilder turns, Utf8JsonWriter output)
    {
        WireJson.RequireObject(part, path);
        var type = WireJson.RequireString(part, "type", path + ".type");
        switch (type)
        {
            case "text":
                if (WireJson.RequireString(part, "text", path + ".text") is { Length: > 0 } text)
                {
                    WriteText(turns.NextBlock(User, output), text);
                }

                break;
            case "image_url":
                WriteImage(turns.NextBlock(User, output), ImageUrl(part, path));
                break;
            case "file":
                WriteDocument(turns.NextBlock(User, output), part, path);
                break;
            case "input_audio":
                throw new TranslationException($"'{path}': audio input is not supported by Anthropic models.");
            default:
                throw new TranslationException($"'{path}.type' \"{type}\" is not supported; use text, image_url or file.");
        }
    }

    /// <summary>The URL of an <c>image_url</c> part; some clients send it as a bare string instead of an object.</summary>
    private static (string Url, string Path) ImageUrl(JsonElement part, string path)
    {
        var image = WireJson.Get(part, "image_url") ?? throw new TranslationException($"'{path}.image_url' is required.");
        return image.ValueKind == JsonValueKind.String
            ? (image.GetString()!, path + ".image_url")
            : (WireJson.RequireString(image, "url", path + ".image_url.url"), path + ".image_url.url");
    }

    private static void WriteImage(Utf8JsonWriter writer, (string Url, string Path) image)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "image");
        writer.WriteStartObject("source");
        if (MediaUrl.TryParseData(image.Url, image.Path, out var mediaType, out var data))
        {
            writer.WriteString("type", "base64");
            writer.WriteString("media_type", mediaType);
            writer.WriteString("data", data);
        }
        else if (MediaUrl.IsHttp(image.Url))
        {
            writer.WriteString("type", "url");
            writer.WriteString("url", image.Url);
        }
        else
        {
            throw new TranslationException($"'{image.Path}' must be an http(s) URL or a base64 data URL.");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>An inline file (in practice a PDF) becomes a base64 document block; Anthropic cannot see OpenAI file ids.</summary>
    private static void WriteDocument(Utf8JsonWriter writer, JsonElement part, string path)
    {
        var file = WireJson.RequireObject(part, "file", path + ".file");
        var fileData = WireJson.GetString(file, "file_data", path + ".file.file_data")
            ?? throw new TranslationException($"'{path}.file.file_data' is required: uploaded file ids cannot be forwarded to Anthropic.");
        if (!MediaUrl.TryParseData(fileData, path + ".file.file_data", out var mediaType, out var data))
        {
            throw new TranslationException($"'{path}.file.file_data' must be a base64 data URL.");
        }

        writer.WriteStartObject();
        writer.WriteString("type", "document");
        writer.WriteStartObject("source");
        writer.WriteString("type", "base64");
        writer.WriteString("media_type", mediaType);
        writer.WriteString("data", data);
        writer.WriteEndObject();
        if (WireJson.GetString(file, "filename", path + ".file.filename") is { Length: > 0 } filename)
        {
            writer.WriteString("title", filename);
        }

        writer.WriteEndObject();
    }

    private static void WriteAssistant(JsonElement message, string path, AnthropicTurnBuilder turns, Utf8JsonWriter output)
    {
        switch (WireJson.Get(message, "content"))
        {
            case { ValueKind: JsonValueKind.String } text:
                if (text.GetString() is { Length: > 0 } value)
                {
                    WriteText(turns.NextBlock(Assistant, output), value);
                }

                break;
            case { ValueKind: JsonValueKind.Array } content:
                var index = 0;
                foreach (var part in content.EnumerateArray())
                {
                    var partPath = $"{path}.content[{index++}]";
                    WireJson.RequireObject(part, partPath);
                    var type = WireJson.RequireString(part, "type", partPath + ".type");
                    var text = type switch
                    {
                        "text" => WireJson.RequireString(part, "text", partPath + ".text"),
                        "refusal" => WireJson.RequireString(part, "refusal", partPath + ".refusal"),
                        _ => throw new TranslationException($"'{partPath}.type' \"{type}\" is not supported in assistant messages; use text or refusal."),
                    };
                    if (text.Length > 0)
                    {
                        WriteText(turns.NextBlock(Assistant, output), text);
                    }
                }

                break;
            case null:
                break;
            default:
                throw new TranslationException($"'{path}.content' must be a string or an array of parts.");
        }

        if (WireJson.GetArray(message, "tool_calls", path + ".tool_calls") is not { } toolCalls)
        {
            return;
        }

        var callIndex = 0;
        foreach (var call in toolCalls.EnumerateArray())
        {
            var callPath = $"{path}.tool_calls[{callIndex++}]";
            WireJson.RequireObject(call, callPath);
            if (WireJson.GetString(call, "type", callPath + ".type") is { } type && type != "function")
            {
                throw new TranslationException($"'{callPath}.type' \"{type}\" is not supported; only function tool calls are.");
            }

            var id = WireJson.RequireString(call, "id", callPath + ".id");
            var function = WireJson.RequireObject(call, "function", callPath + ".function");
            var name = WireJson.RequireString(function, "name", callPath + ".function.name");
            var arguments = WireJson.GetString(function, "arguments", callPath + ".function.arguments") ?? "";

            var writer = turns.NextBlock(Assistant, output);
            writer.WriteStartObject();
            writer.WriteString("type", "tool_use");
            writer.WriteString("id", id);
            writer.WriteString("name", name);
            writer.WritePropertyName("input");
            WriteArguments(writer, arguments, callPath + ".function.arguments");
            writer.WriteEndObject();
        }
    }

    /// <summary>OpenAI carries tool arguments as a JSON string; Anthropic wants the object itself.</summary>
    private static void WriteArguments(Utf8JsonWriter writer, string arguments, string path)
    {
        // Clients commonly send "" for a function without parameters.
        if (string.IsNullOrWhiteSpace(arguments))
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }

        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(arguments);
        }
        catch (JsonException)
        {
            throw new TranslationException($"'{path}' is not valid JSON.");
        }

        using (parsed)
        {
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new TranslationException($"'{path}' must be a JSON object.");
            }

            parsed.RootElement.WriteTo(writer);
        }
    }

    /// <summary>Tool results go back as user turns of <c>tool_result</c> blocks; consecutive ones share one turn.</summary>
    private static void WriteToolResult(JsonElement message, string path, AnthropicTurnBuilder turns, Utf8JsonWriter output)
    {
        var toolCallId = WireJson.RequireString(message, "tool_call_id", path + ".tool_call_id");
        var content = WireJson.Get(message, "content");
        var writer = turns.NextBlock(User, output);
        writer.WriteStartObject();
        writer.WriteString("type", "tool_result");
        writer.WriteString("tool_use_id", toolCallId);
        switch (content)
        {
            case { ValueKind: JsonValueKind.String } text:
                // An empty string is left out rather than sent: Anthropic rejects empty text.
                if (text.GetString() is { Length: > 0 } value)
                {
                    writer.WriteString("content", value);
                }

                break;
            case { ValueKind: JsonValueKind.Array } parts:
                writer.WriteStartArray("content");
                var index = 0;
                foreach (var part in parts.EnumerateArray())
                {
                    var partPath = $"{path}.content[{index++}]";
                    WireJson.RequireObject(part, partPath);
                    var type = WireJson.RequireString(part, "type", partPath + ".type");
                    switch (type)
                    {
                        case "text":
                            if (WireJson.RequireString(part, "text", partPath + ".text") is { Length: > 0 } text)
                            {
                                WriteText(writer, text);
                            }

                            break;
                        case "image_url":
                            WriteImage(writer, ImageUrl(part, partPath));
                            break;
                        default:
                            throw new TranslationException($"'{partPath}.type' \"{type}\" is not supported in tool messages; use text or image_url.");
                    }
                }

                writer.WriteEndArray();
                break;
            case null:
                break;
            default:
                throw new TranslationException($"'{path}.content' must be a string or an array of parts.");
        }

        writer.WriteEndObject();
    }

    private static void WriteStop(JsonElement root, Utf8JsonWriter writer)
    {
        switch (WireJson.Get(root, "stop"))
        {
            case { ValueKind: JsonValueKind.String } stop:
                if (stop.GetString() is { Length: > 0 } value)
                {
                    writer.WriteStartArray("stop_sequences");
                    writer.WriteStringValue(value);
                    writer.WriteEndArray();
                }

                break;
            case { ValueKind: JsonValueKind.Array } stops:
                var values = new List<string>();
                var index = 0;
                foreach (var stop in stops.EnumerateArray())
                {
                    if (stop.ValueKind != JsonValueKind.String)
                    {
                        throw new TranslationException($"'stop[{index}]' must be a string.");
                    }

                    index++;
                    if (stop.GetString() is { Length: > 0 } sequence)
                    {
                        values.Add(sequence);
                    }
                }

                if (values.Count > 0)
                {
                    writer.WriteStartArray("stop_sequences");
                    foreach (var sequence in values)
                    {
                        writer.WriteStringValue(sequence);
                    }

                    writer.WriteEndArray();
                }

                break;
            case null:
                break;
            default:
                throw new TranslationException("'stop' must be a string or an array of strings.");
        }
    }

    private static void WriteTools(JsonElement root, Utf8JsonWriter writer)
    {
        var tools = WireJson.GetArray(root, "tools", "tools");
        var parallel = WireJson.GetBool(root, "parallel_tool_calls", "parallel_tool_calls");
        var (choiceType, choiceName) = ReadToolChoice(root);

        // Without tools there is nothing to choose from, and Anthropic rejects a tool_choice alone.
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
            var type = WireJson.GetString(tool, "type", path + ".type") ?? "function";
            if (type != "function")
            {
                throw new TranslationException($"'{path}.type' \"{type}\" is not supported; only function tools can be sent to Anthropic.");
            }

            var function = WireJson.RequireObject(tool, "function", path + ".function");
            writer.WriteStartObject();
            writer.WriteString("name", WireJson.RequireString(function, "name", path + ".function.name"));
            if (WireJson.GetString(function, "description", path + ".function.description") is { } description)
            {
                writer.WriteString("description", description);
            }

            writer.WritePropertyName("input_schema");
            WireJson.WriteSchema(writer, WireJson.GetObject(function, "parameters", path + ".function.parameters"));

            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        if (choiceType is null && parallel == false)
        {
            choiceType = "auto";
        }

        if (choiceType is null)
        {
            return;
        }

        writer.WriteStartObject("tool_choice");
        writer.WriteString("type", choiceType);
        if (choiceName is not null)
        {
            writer.WriteString("name", choiceName);
        }

        // Anthropic's "none" takes no other field.
        if (parallel == false && choiceType != "none")
        {
            writer.WriteBoolean("disable_parallel_tool_use", true);
        }

        writer.WriteEndObject();
    }

    private static (string? Type, string? Name) ReadToolChoice(JsonElement root)
    {
        switch (WireJson.Get(root, "tool_choice"))
        {
            case null:
                return (null, null);
            case { ValueKind: JsonValueKind.String } choice:
                return choice.GetString() switch
                {
                    "auto" => ("auto", null),
                    "none" => ("none", null),
                    "required" => ("any", null),
                    var other => throw new TranslationException($"'tool_choice' \"{other}\" is not supported; use auto, none, required or a function."),
                };
            case { ValueKind: JsonValueKind.Object } choice:
                var type = WireJson.RequireString(choice, "type", "tool_choice.type");
                if (type != "function")
                {
                    throw new TranslationException($"'tool_choice.type' \"{type}\" is not supported; use function.");
                }

                var function = WireJson.RequireObject(choice, "function", "tool_choice.function");
                return ("tool", WireJson.RequireString(function, "name", "tool_choice.function.name"));
            default:
                throw new TranslationException("'tool_choice' must be a string or an object.");
        }
    }

    private static void WriteText(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }
}
