using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Providers.Sandbox;

/// <summary>Simulated OpenAI Responses API: a <c>response</c> object, or its stream of semantic events.</summary>
internal static class SandboxResponses
{
    private const int FragmentSize = 6;

    public static async ValueTask<UpstreamResponse> HandleAsync(SandboxCall call)
    {
        JsonElement root = call.Root;
        string model = call.Model;
        JsonElement input = SandboxJson.Optional(root, "input") ?? throw SandboxJson.Missing("input");
        string? instructions = SandboxJson.OptionalString(root, "instructions", "instructions");
        int? maxOutputTokens = SandboxJson.OptionalInt(root, "max_output_tokens", "max_output_tokens", 1, int.MaxValue);
        bool stream = SandboxJson.OptionalBool(root, "stream", "stream") ?? false;
        JsonElement? metadata = SandboxJson.OptionalOfKind(root, "metadata", "metadata", JsonValueKind.Object);
        (string formatType, JsonElement? schema) = ReadTextFormat(root);

        int inputTokens = instructions is null ? 0 : TokenCounter.Count(instructions, model);
        string? toolOpening = null;
        if (input.ValueKind == JsonValueKind.String)
        {
            inputTokens += TokenCounter.Count(input.GetString()!, model);
        }
        else if (input.ValueKind == JsonValueKind.Array)
        {
            inputTokens += CountItems(input, model, out toolOpening);
        }
        else
        {
            throw SandboxJson.WrongType("input", "a string or an array of input items");
        }

        SandboxRandom random = call.Random();
        string text = formatType switch
        {
            "json_object" => SandboxTextGenerator.JsonObject(random),
            "json_schema" => schema is { } s ? SandboxJsonGenerator.Generate(s, random) : SandboxTextGenerator.JsonObject(random),
            _ => toolOpening is null
                ? SandboxTextGenerator.Answer(random, call.Options.DefaultAnswerTokens, model)
                : toolOpening + " " + SandboxTextGenerator.Answer(random, call.Options.DefaultAnswerTokens, model),
        };
        bool cut = SandboxText.ApplyMaxTokens(ref text, maxOutputTokens, model);
        IReadOnlyList<string> pieces = formatType == "text" ? SandboxText.Words(text) : SandboxText.Fragments(text, FragmentSize);

        SandboxResponse response = new()
        {
            Id = SandboxIds.Response(),
            MessageId = SandboxIds.Message(),
            CreatedAt = call.Now,
            Model = model,
            Instructions = instructions,
            MaxOutputTokens = maxOutputTokens,
            Metadata = metadata?.GetRawText(),
            FormatType = formatType,
            Text = text,
            Incomplete = cut,
            InputTokens = inputTokens,
            OutputTokens = TokenCounter.Count(text, model),
        };

        if (!stream)
        {
            return await call.JsonAsync(SandboxJson.Write(w => response.Write(w, final: true)), pieces.Count).ConfigureAwait(false);
        }

        return call.EventStream(BuildStream(call, response, pieces));
    }

    private static List<SandboxEvent> BuildStream(SandboxCall call, SandboxResponse response, IReadOnlyList<string> pieces)
    {
        List<SandboxEvent> events = [];
        int sequence = 0;
        void Add(string type, TimeSpan delay, Action<Utf8JsonWriter> body)
        {
            int number = sequence++;
            events.Add(SandboxEvent.Named(type, w =>
            {
                w.WriteStartObject();
                w.WriteString("type", type);
                w.WriteNumber("sequence_number", number);
                body(w);
                w.WriteEndObject();
            }, delay));
        }

        void ItemRef(Utf8JsonWriter w)
        {
            w.WriteString("item_id", response.MessageId);
            w.WriteNumber("output_index", 0);
            w.WriteNumber("content_index", 0);
        }

        Add("response.created", TimeSpan.Zero, w =>
        {
            w.WritePropertyName("response");
            response.Write(w, final: false);
        });
        Add("response.in_progress", TimeSpan.Zero, w =>
        {
            w.WritePropertyName("response");
            response.Write(w, final: false);
        });
        Add("response.output_item.added", call.Options.TimeToFirstToken, w =>
        {
            w.WriteNumber("output_index", 0);
            w.WritePropertyName("item");
            response.WriteMessage(w, final: false);
        });
        Add("response.content_part.added", TimeSpan.Zero, w =>
        {
            ItemRef(w);
            w.WritePropertyName("part");
            SandboxResponse.WritePart(w, "");
        });
        for (int i = 0; i < pieces.Count; i++)
        {
            string piece = pieces[i];
            Add("response.output_text.delta", i == 0 ? TimeSpan.Zero : call.Options.InterTokenDelay, w =>
            {
                ItemRef(w);
                w.WriteString("delta", piece);
                w.WriteStartArray("logprobs");
                w.WriteEndArray();
            });
        }

        Add("response.output_text.done", TimeSpan.Zero, w =>
        {
            ItemRef(w);
            w.WriteString("text", response.Text);
            w.WriteStartArray("logprobs");
            w.WriteEndArray();
        });
        Add("response.content_part.done", TimeSpan.Zero, w =>
        {
            ItemRef(w);
            w.WritePropertyName("part");
            SandboxResponse.WritePart(w, response.Text);
        });
        Add("response.output_item.done", TimeSpan.Zero, w =>
        {
            w.WriteNumber("output_index", 0);
            w.WritePropertyName("item");
            response.WriteMessage(w, final: true);
        });
        Add(response.Incomplete ? "response.incomplete" : "response.completed", TimeSpan.Zero, w =>
        {
            w.WritePropertyName("response");
            response.Write(w, final: true);
        });
        return events;
    }

    /// <summary>Counts the text of input items; when the last is a function result, the opening that refers to it.</summary>
    private static int CountItems(JsonElement input, string model, out string? toolOpening)
    {
        toolOpening = null;
        Dictionary<string, string> callNames = new(StringComparer.Ordinal);
        int tokens = 0;
        int index = 0;
        foreach (JsonElement item in input.EnumerateArray())
        {
            string param = $"input[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw SandboxJson.WrongType(param, "an object");
            }

            toolOpening = null;
            string? type = SandboxJson.OptionalString(item, "type", param + ".type");
            switch (type)
            {
                case "function_call":
                    string? arguments = SandboxJson.OptionalString(item, "arguments", param + ".arguments");
                    tokens += TokenCounter.Count(arguments ?? "", model);
                    if (SandboxJson.OptionalString(item, "call_id", param + ".call_id") is { } callId
                        && SandboxJson.OptionalString(item, "name", param + ".name") is { } name)
                    {
                        callNames[callId] = name;
                    }

                    break;
                case "function_call_output":
                    string output = SandboxJson.Optional(item, "output") is { } o
                        ? string.Join(' ', SandboxJson.ContentTexts(o, param + ".output"))
                        : "";
                    tokens += TokenCounter.Count(output, model);
                    string? outputCallId = SandboxJson.OptionalString(item, "call_id", param + ".call_id");
                    toolOpening = SandboxTextGenerator.ToolResultOpening(
                        outputCallId is not null && callNames.TryGetValue(outputCallId, out string? toolName) ? toolName : null, output);
                    break;
                case null or "message":
                    if (item.TryGetProperty("content", out JsonElement content))
                    {
                        foreach (string text in SandboxJson.ContentTexts(content, param + ".content"))
                        {
                            tokens += TokenCounter.Count(text, model);
                        }
                    }
                    else if (type is null)
                    {
                        throw SandboxJson.Missing(param + ".content");
                    }

                    break;
                default:
                    break;
            }
        }

        return tokens;
    }

    private static (string Type, JsonElement? Schema) ReadTextFormat(JsonElement root)
    {
        if (SandboxJson.OptionalOfKind(root, "text", "text", JsonValueKind.Object) is not { } text
            || SandboxJson.OptionalOfKind(text, "format", "text.format", JsonValueKind.Object) is not { } format)
        {
            return ("text", null);
        }

        string type = SandboxJson.OptionalString(format, "type", "text.format.type") ?? throw SandboxJson.Missing("text.format.type");
        return type switch
        {
            "text" or "json_object" => (type, null),
            "json_schema" => (type, SandboxJson.OptionalOfKind(format, "schema", "text.format.schema", JsonValueKind.Object)),
            _ => throw new SandboxRequestException("Invalid value for 'text.format.type': expected 'text', 'json_object' or 'json_schema'.", "text.format.type"),
        };
    }
}
