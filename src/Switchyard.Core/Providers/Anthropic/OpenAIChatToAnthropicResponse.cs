using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Switchyard.Providers.Anthropic;

/// <summary>Turns a non-streamed OpenAI <c>chat.completion</c> into an Anthropic <c>message</c>.</summary>
internal static class OpenAIChatToAnthropicResponse
{
    public static ResponseTranslation Translate(ReadOnlySpan<byte> chatCompletion, string publicModel)
    {
        try
        {
            using var document = WireJson.Parse(chatCompletion);
            return Translate(document.RootElement, publicModel);
        }
        catch (JsonException ex)
        {
            return ResponseTranslation.Failed($"The upstream response is not valid JSON: {ex.Message}");
        }
        catch (TranslationException ex)
        {
            return ResponseTranslation.Failed(ex.Message);
        }
        catch (InvalidOperationException)
        {
            return ResponseTranslation.Failed("The upstream response does not have the shape of a chat completion.");
        }
    }

    /// <summary>Anthropic message ids start with <c>msg_</c>; the OpenAI id is kept after it so the two can be correlated.</summary>
    public static string MessageId(string? openAiId)
    {
        const string OpenAIPrefix = "chatcmpl-";
        if (string.IsNullOrEmpty(openAiId))
        {
            return "msg_" + Guid.NewGuid().ToString("N");
        }

        if (openAiId.StartsWith("msg_", StringComparison.Ordinal))
        {
            return openAiId;
        }

        return "msg_" + (openAiId.StartsWith(OpenAIPrefix, StringComparison.Ordinal) ? openAiId[OpenAIPrefix.Length..] : openAiId);
    }

    private static ResponseTranslation Translate(JsonElement root, string publicModel)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TranslationException("The upstream response is not a JSON object.");
        }

        if (WireJson.Get(root, "error") is { } error)
        {
            var message = error.ValueKind == JsonValueKind.String ? error.GetString() : WireJson.StringOrNull(error, "message");
            throw new TranslationException($"The upstream returned an error: {message ?? "no message"}");
        }

        var choices = WireJson.GetArray(root, "choices", "choices");
        if (choices is not { } choiceArray || choiceArray.GetArrayLength() == 0)
        {
            throw new TranslationException("The upstream response has no choices.");
        }

        var choice = choiceArray[0];
        var assistant = WireJson.GetObject(choice, "message", "choices[0].message")
            ?? throw new TranslationException("The upstream response has no message.");
        var usage = WireJson.Get(root, "usage") is { } usageElement ? OpenAIUsage.Read(usageElement) : default;
        var stopReason = StopReasons.ToAnthropic(WireJson.StringOrNull(choice, "finish_reason"));

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", MessageId(WireJson.StringOrNull(root, "id")));
            writer.WriteString("type", "message");
            writer.WriteString("role", "assistant");
            writer.WriteString("model", publicModel);
            writer.WriteStartArray("content");
            WriteText(writer, ContentText(assistant));
            WriteText(writer, WireJson.StringOrNull(assistant, "refusal"));
            if (WireJson.GetArray(assistant, "tool_calls", "choices[0].message.tool_calls") is { } toolCalls)
            {
                WriteToolUses(toolCalls, writer);
            }

            writer.WriteEndArray();
            writer.WriteString("stop_reason", stopReason);
            writer.WriteNull("stop_sequence");
            AnthropicUsage.Write(writer, usage);
            writer.WriteEndObject();
        }

        return ResponseTranslation.Succeeded(buffer.WrittenSpan.ToArray(), usage, stopReason);
    }

    /// <summary>The message text; some OpenAI-compatible servers answer with an array of text parts instead of a string.</summary>
    private static string? ContentText(JsonElement message)
    {
        switch (WireJson.Get(message, "content"))
        {
            case { ValueKind: JsonValueKind.String } text:
                return text.GetString();
            case { ValueKind: JsonValueKind.Array } parts:
                var builder = new StringBuilder();
                foreach (var part in parts.EnumerateArray())
                {
                    builder.Append(WireJson.StringOrNull(part, "text"));
                }

                return builder.ToString();
            default:
                return null;
        }
    }

    private static void WriteText(Utf8JsonWriter writer, string? text)
    {
        // Anthropic never sends empty text blocks, and clients echoing them back would be rejected.
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static void WriteToolUses(JsonElement toolCalls, Utf8JsonWriter writer)
    {
        var index = 0;
        foreach (var call in toolCalls.EnumerateArray())
        {
            var path = $"choices[0].message.tool_calls[{index++}]";
            var function = WireJson.GetObject(call, "function", path + ".function")
                ?? throw new TranslationException($"'{path}.function' is missing in the upstream response.");
            writer.WriteStartObject();
            writer.WriteString("type", "tool_use");
            writer.WriteString("id", WireJson.StringOrNull(call, "id") ?? $"toolu_{index}");
            writer.WriteString("name", WireJson.StringOrNull(function, "name") ?? "");
            writer.WritePropertyName("input");
            WriteInput(writer, WireJson.StringOrNull(function, "arguments"), path);
            writer.WriteEndObject();
        }
    }

    private static void WriteInput(Utf8JsonWriter writer, string? arguments, string path)
    {
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
            throw new TranslationException($"The upstream model produced tool arguments that are not valid JSON at '{path}.function.arguments'.");
        }

        using (parsed)
        {
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new TranslationException($"The upstream model produced tool arguments that are not a JSON object at '{path}.function.arguments'.");
            }

            parsed.RootElement.WriteTo(writer);
        }
    }
}
