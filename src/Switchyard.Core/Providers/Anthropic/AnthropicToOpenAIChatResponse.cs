using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Switchyard.Providers.Anthropic;

/// <summary>Turns a non-streamed Anthropic <c>message</c> into an OpenAI <c>chat.completion</c>.</summary>
internal static class AnthropicToOpenAIChatResponse
{
    /// <param name="created">Unix seconds for <c>created</c>; Anthropic messages carry no timestamp.</param>
    public static ResponseTranslation Translate(ReadOnlySpan<byte> anthropicMessage, string publicModel, long created)
    {
        try
        {
            using var document = WireJson.Parse(anthropicMessage);
            return Translate(document.RootElement, publicModel, created);
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
            return ResponseTranslation.Failed("The upstream response does not have the shape of an Anthropic message.");
        }
    }

    private static ResponseTranslation Translate(JsonElement root, string publicModel, long created)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TranslationException("The upstream response is not a JSON object.");
        }

        if (WireJson.StringOrNull(root, "type") == "error")
        {
            var error = WireJson.Get(root, "error");
            var message = error is { } e ? WireJson.StringOrNull(e, "message") : null;
            throw new TranslationException($"The upstream returned an error: {message ?? "no message"}");
        }

        var content = WireJson.GetArray(root, "content", "content");
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var toolCalls = 0;
        if (content is { } blocks)
        {
            foreach (var block in blocks.EnumerateArray())
            {
                switch (WireJson.StringOrNull(block, "type"))
                {
                    case "text":
                        text.Append(WireJson.StringOrNull(block, "text"));
                        break;
                    case "thinking":
                        reasoning.Append(WireJson.StringOrNull(block, "thinking"));
                        break;
                    case "tool_use":
                        toolCalls++;
                        break;
                }
            }
        }

        var usage = WireJson.Get(root, "usage") is { } usageElement ? AnthropicUsage.Read(usageElement) : default;
        var finishReason = StopReasons.ToOpenAI(WireJson.StringOrNull(root, "stop_reason"));

        var buffer = new ArrayBufferWriter<byte>(512 + text.Length + reasoning.Length);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", "chatcmpl-" + WireJson.StringOrNull(root, "id"));
            writer.WriteString("object", "chat.completion");
            writer.WriteNumber("created", created);
            writer.WriteString("model", publicModel);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            if (text.Length > 0 || toolCalls == 0)
            {
                writer.WriteString("content", text.ToString());
            }
            else
            {
                writer.WriteNull("content");
            }

            if (reasoning.Length > 0)
            {
                writer.WriteString("reasoning_content", reasoning.ToString());
            }

            if (toolCalls > 0)
            {
                WriteToolCalls(content!.Value, writer);
            }

            writer.WriteNull("refusal");
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            writer.WriteString("finish_reason", finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            OpenAIUsage.Write(writer, usage);
            writer.WriteEndObject();
        }

        return ResponseTranslation.Succeeded(buffer.WrittenSpan.ToArray(), usage, finishReason);
    }

    private static void WriteToolCalls(JsonElement blocks, Utf8JsonWriter writer)
    {
        writer.WriteStartArray("tool_calls");
        foreach (var block in blocks.EnumerateArray())
        {
            if (WireJson.StringOrNull(block, "type") != "tool_use")
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("id", WireJson.StringOrNull(block, "id") ?? "");
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", WireJson.StringOrNull(block, "name") ?? "");
            writer.WriteString("arguments", WireJson.Get(block, "input") is { } input ? input.GetRawText() : "{}");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
