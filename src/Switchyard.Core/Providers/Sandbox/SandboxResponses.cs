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

        // Tools as in chat completions: with function tools the answer calls one (picked by the seed unless
        // tool_choice names it), except after a function's output, which the answer then talks about.
        List<(string Name, JsonElement? Parameters)> tools = ReadTools(root);
        (bool callTool, string? forcedTool) = SandboxToolChoice.Read(root, tools, afterToolResult: toolOpening is not null, NamedFunction);

        SandboxRandom random = call.Random();
        string? toolName = null;
        string? toolCallId = null;
        string text;
        if (callTool)
        {
            (string Name, JsonElement? Parameters) tool = forcedTool is null ? random.Pick(tools) : tools.First(t => t.Name == forcedTool);
            toolName = tool.Name;
            toolCallId = SandboxIds.ToolCall(random);
            text = tool.Parameters is { } parameters ? SandboxJsonGenerator.Generate(parameters, random) : "{}";
        }
        else
        {
            text = formatType switch
            {
                "json_object" => SandboxTextGenerator.JsonObject(random),
                "json_schema" => schema is { } s ? SandboxJsonGenerator.Generate(s, random) : SandboxTextGenerator.JsonObject(random),
                _ => toolOpening is null
                    ? SandboxTextGenerator.Answer(random, call.Options.DefaultAnswerTokens, model)
                    : toolOpening + " " + SandboxTextGenerator.Answer(random, call.Options.DefaultAnswerTokens, model),
            };
        }

        // The token limit applies to everything generated, function arguments included, as in chat completions.
        bool cut = SandboxText.ApplyMaxTokens(ref text, maxOutputTokens, model);
        IReadOnlyList<string> pieces = formatType == "text" && !callTool ? SandboxText.Words(text) : SandboxText.Fragments(text, FragmentSize);

        SandboxResponse response = new()
        {
            Id = SandboxIds.Response(),
            ItemId = callTool ? SandboxIds.FunctionCall() : SandboxIds.Message(),
            ToolName = toolName,
            ToolCallId = toolCallId,
            Tools = SandboxJson.Optional(root, "tools") is { ValueKind: JsonValueKind.Array } toolsValue ? toolsValue.GetRawText() : null,
            ToolChoice = SandboxJson.Optional(root, "tool_choice") is { ValueKind: not JsonValueKind.Null } choiceValue ? choiceValue.GetRawText() : null,
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
            w.WriteString("item_id", response.ItemId);
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
            response.WriteItem(w, final: false);
        });
        if (response.IsToolCall)
        {
            AddFunctionCallEvents(response, pieces, call.Options.InterTokenDelay, Add);
        }
        else
        {
            AddMessageEvents(response, pieces, call.Options.InterTokenDelay, Add, ItemRef);
        }

        Add("response.output_item.done", TimeSpan.Zero, w =>
        {
            w.WriteNumber("output_index", 0);
            w.WritePropertyName("item");
            response.WriteItem(w, final: true);
        });
        Add(response.Incomplete ? "response.incomplete" : "response.completed", TimeSpan.Zero, w =>
        {
            w.WritePropertyName("response");
            response.Write(w, final: true);
        });
        return events;
    }

    /// <summary>The arguments of a function call, streamed in fragments, then whole.</summary>
    private static void AddFunctionCallEvents(SandboxResponse response, IReadOnlyList<string> pieces, TimeSpan interTokenDelay, Action<string, TimeSpan, Action<Utf8JsonWriter>> add)
    {
        void ItemRef(Utf8JsonWriter w)
        {
            w.WriteString("item_id", response.ItemId);
            w.WriteNumber("output_index", 0);
        }

        for (int i = 0; i < pieces.Count; i++)
        {
            string piece = pieces[i];
            add("response.function_call_arguments.delta", i == 0 ? TimeSpan.Zero : interTokenDelay, w =>
            {
                ItemRef(w);
                w.WriteString("delta", piece);
            });
        }

        add("response.function_call_arguments.done", TimeSpan.Zero, w =>
        {
            ItemRef(w);
            w.WriteString("name", response.ToolName);
            w.WriteString("arguments", response.Text);
        });
    }

    /// <summary>The message's one text part, streamed word by word, then whole.</summary>
    private static void AddMessageEvents(SandboxResponse response, IReadOnlyList<string> pieces, TimeSpan interTokenDelay, Action<string, TimeSpan, Action<Utf8JsonWriter>> add, Action<Utf8JsonWriter> itemRef)
    {
        add("response.content_part.added", TimeSpan.Zero, w =>
        {
            itemRef(w);
            w.WritePropertyName("part");
            SandboxResponse.WritePart(w, "");
        });
        for (int i = 0; i < pieces.Count; i++)
        {
            string piece = pieces[i];
            add("response.output_text.delta", i == 0 ? TimeSpan.Zero : interTokenDelay, w =>
            {
                itemRef(w);
                w.WriteString("delta", piece);
                w.WriteStartArray("logprobs");
                w.WriteEndArray();
            });
        }

        add("response.output_text.done", TimeSpan.Zero, w =>
        {
            itemRef(w);
            w.WriteString("text", response.Text);
            w.WriteStartArray("logprobs");
            w.WriteEndArray();
        });
        add("response.content_part.done", TimeSpan.Zero, w =>
        {
            itemRef(w);
            w.WritePropertyName("part");
            SandboxResponse.WritePart(w, response.Text);
        });
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

    /// <summary>The function tools, in the Responses shape (<c>name</c> and <c>parameters</c> beside <c>type</c>).</summary>
    private static List<(string Name, JsonElement? Parameters)> ReadTools(JsonElement root)
    {
        List<(string, JsonElement?)> tools = [];
        if (SandboxJson.OptionalOfKind(root, "tools", "tools", JsonValueKind.Array) is not { } array)
        {
            return tools;
        }

        int index = 0;
        foreach (JsonElement tool in array.EnumerateArray())
        {
            string param = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw SandboxJson.WrongType(param, "an object");
            }

            string type = SandboxJson.OptionalString(tool, "type", param + ".type") ?? throw SandboxJson.Missing(param + ".type");
            if (type != "function")
            {
                // Hosted tools (web search, file search, code interpreter...) need OpenAI's services; the sandbox has none.
                throw new SandboxRequestException($"Invalid value for '{param}.type': the sandbox simulates only 'function' tools, not '{type}'.", param + ".type");
            }

            string name = SandboxJson.OptionalString(tool, "name", param + ".name") ?? throw SandboxJson.Missing(param + ".name");
            JsonElement? parameters = SandboxJson.OptionalOfKind(tool, "parameters", param + ".parameters", JsonValueKind.Object);
            tools.Add((name, parameters));
        }

        return tools;
    }

    /// <summary>The Responses API names a forced function as <c>{"type":"function","name":...}</c>; hosted tools cannot be forced here.</summary>
    private static string NamedFunction(JsonElement choice)
    {
        string type = SandboxJson.OptionalString(choice, "type", "tool_choice.type") ?? throw SandboxJson.Missing("tool_choice.type");
        if (type != "function")
        {
            throw new SandboxRequestException($"Invalid value for 'tool_choice.type': the sandbox simulates only 'function' tools, not '{type}'.", "tool_choice.type");
        }

        return SandboxJson.OptionalString(choice, "name", "tool_choice.name") ?? throw SandboxJson.Missing("tool_choice.name");
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
