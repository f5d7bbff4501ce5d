using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Gateway;
using Switchyard.Streaming;

namespace Switchyard.Guardrails;

/// <summary>
/// The texts of an answer in each client format: the whole answer's text fields, and a stream event's
/// text delta, read and written back.
/// </summary>
internal static class AnswerTexts
{
    public static List<GuardText> Of(ClientApi api, JsonElement root)
    {
        var texts = new List<GuardText>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return texts;
        }

        if (api == ClientApi.ChatCompletions && root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
                    && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    texts.Add(new GuardText(content.GetString()!, GuardContent.Answer, ["choices", i, "message", "content"], IsNew: true));
                }

                i++;
            }
        }
        else if (api == ClientApi.Messages && root.TryGetProperty("content", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var block in blocks.EnumerateArray())
            {
                if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    texts.Add(new GuardText(text.GetString()!, GuardContent.Answer, ["content", i, "text"], IsNew: true));
                }

                i++;
            }
        }
        else if (api == ClientApi.Responses && root.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in output.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("content", out var parts) && parts.ValueKind == JsonValueKind.Array)
                {
                    var j = 0;
                    foreach (var part in parts.EnumerateArray())
                    {
                        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                        {
                            texts.Add(new GuardText(text.GetString()!, GuardContent.Answer, ["output", i, "content", j, "text"], IsNew: true));
                        }

                        j++;
                    }
                }

                i++;
            }
        }

        return texts;
    }

    /// <summary>The text a stream event adds to the answer, or null when it adds none (role, finish, usage, tool calls, done).</summary>
    public static string? DeltaOf(ClientApi api, in SseEvent sseEvent)
    {
        if (sseEvent.Data.IsEmpty || sseEvent.IsDone)
        {
            return null;
        }

        var name = sseEvent.Name;
        if (api == ClientApi.Messages && !name.SequenceEqual("content_block_delta"u8))
        {
            return null;
        }

        if (api == ClientApi.Responses && !name.SequenceEqual("response.output_text.delta"u8))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(sseEvent.Data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var text = api switch
            {
                ClientApi.ChatCompletions => root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() == 1
                    && choices[0].TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object && delta.TryGetProperty("content", out var content) ? content : default,
                ClientApi.Messages => root.TryGetProperty("delta", out var block) && block.ValueKind == JsonValueKind.Object && block.TryGetProperty("text", out var t) ? t : default,
                ClientApi.Responses => root.TryGetProperty("delta", out var d) ? d : default,
                _ => default,
            };
            return text.ValueKind == JsonValueKind.String && text.GetString() is { Length: > 0 } value ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="template"/> (a text delta event, as <see cref="DeltaOf"/> read it) carrying <paramref name="text"/> instead.</summary>
    public static void WriteDelta(ClientApi api, ReadOnlySpan<byte> templateName, ReadOnlySpan<byte> templateData, string text, IBufferWriter<byte> output)
    {
        var root = JsonNode.Parse(templateData)!;
        switch (api)
        {
            case ClientApi.ChatCompletions:
                root["choices"]![0]!["delta"]!["content"] = text;
                break;
            case ClientApi.Messages:
                root["delta"]!["text"] = text;
                break;
            default:
                root["delta"] = text;
                break;
        }

        if (!templateName.IsEmpty)
        {
            output.Write("event: "u8);
            output.Write(templateName);
            output.Write("\n"u8);
        }

        output.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(output, RequestTexts.Relaxed))
        {
            root.WriteTo(writer);
        }

        output.Write("\n\n"u8);
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
