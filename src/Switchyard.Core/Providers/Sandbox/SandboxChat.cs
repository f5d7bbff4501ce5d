using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Providers.Sandbox;

/// <summary>Simulated OpenAI Chat Completions: <c>chat.completion</c> objects and <c>chat.completion.chunk</c> streams.</summary>
internal static class SandboxChat
{
    public const string Fingerprint = "fp_sandbox_simulated";

    // JSON and tool arguments stream in fragments of this many characters, about a token's worth.
    private const int FragmentSize = 6;

    private enum Step
    {
        Role,
        Content,
        Finish,
    }

    public static async ValueTask<UpstreamResponse> HandleAsync(SandboxCall call)
    {
        JsonElement root = call.Root;
        string model = call.Model;

        JsonElement messages = SandboxJson.OptionalOfKind(root, "messages", "messages", JsonValueKind.Array) ?? throw SandboxJson.Missing("messages");
        if (messages.GetArrayLength() == 0)
        {
            throw new SandboxRequestException("Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages");
        }

        string? lastRole = null;
        JsonElement last = default;
        int index = 0;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            string param = $"messages[{index}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw SandboxJson.WrongType(param, "an object");
            }

            lastRole = SandboxJson.OptionalString(message, "role", param + ".role") ?? throw SandboxJson.Missing(param + ".role");
            if (message.TryGetProperty("content", out JsonElement content))
            {
                // Validates the content's shape; the text is counted with the rest of the prompt below.
                _ = SandboxJson.ContentTexts(content, param + ".content").Count();
            }

            last = message;
            index++;
        }

        // Counted as OpenAI does (per-message overhead included) and as the gateway's count_tokens and its
        // own estimates do, so the sandbox's usage agrees with them for the same request.
        int promptTokens = (int)PromptTokenEstimator.Estimate(call.Body.Span, model);
        int? maxTokens = SandboxJson.OptionalInt(root, "max_completion_tokens", "max_completion_tokens", 1, int.MaxValue)
            ?? SandboxJson.OptionalInt(root, "max_tokens", "max_tokens", 1, int.MaxValue);
        int n = SandboxJson.OptionalInt(root, "n", "n", 1, 128) ?? 1;
        bool stream = SandboxJson.OptionalBool(root, "stream", "stream") ?? false;
        bool includeUsage = SandboxJson.OptionalOfKind(root, "stream_options", "stream_options", JsonValueKind.Object) is { } streamOptions
            && (SandboxJson.OptionalBool(streamOptions, "include_usage", "stream_options.include_usage") ?? false);
        List<string> stops = ReadStops(root);
        List<(string Name, JsonElement? Parameters)> tools = ReadTools(root);
        (bool callTool, string? forcedTool) = SandboxToolChoice.Read(root, tools, lastRole == "tool", NamedFunction);
        (string formatType, JsonElement? schema) = ReadResponseFormat(root);

        string? toolOpening = lastRole == "tool" ? ToolOpening(messages, last) : null;
        SandboxRandom seeded = call.Random();
        List<SandboxChoice> choices = new(n);
        for (int c = 0; c < n; c++)
        {
            SandboxRandom random = seeded.Fork(c);
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
            else if (formatType == "json_object" || (formatType == "json_schema" && schema is null))
            {
                text = SandboxTextGenerator.JsonObject(random);
            }
            else if (formatType == "json_schema")
            {
                text = SandboxJsonGenerator.Generate(schema!.Value, random);
            }
            else
            {
                string answer = SandboxTextGenerator.Answer(random, call.Options.DefaultAnswerTokens, model);
                text = toolOpening is null ? answer : toolOpening + " " + answer;
            }

            // Stop sequences apply to content only, as OpenAI's do; the token limit applies to everything generated.
            if (!callTool)
            {
                SandboxText.ApplyStop(ref text, stops);
            }

            bool cut = SandboxText.ApplyMaxTokens(ref text, maxTokens, model);
            bool prose = !callTool && formatType == "text";
            choices.Add(new SandboxChoice
            {
                Index = c,
                Text = text,
                Pieces = prose ? SandboxText.Words(text) : SandboxText.Fragments(text, FragmentSize),
                FinishReason = cut ? "length" : callTool ? "tool_calls" : "stop",
                CompletionTokens = TokenCounter.Count(text, model),
                ToolCallId = toolCallId,
                ToolName = toolName,
            });
        }

        int completionTokens = choices.Sum(c => c.CompletionTokens);
        string id = SandboxIds.ChatCompletion();
        long created = call.Now;
        if (!stream)
        {
            byte[] body = SandboxJson.Write(w => WriteCompletion(w, id, created, model, choices, promptTokens, completionTokens));
            return await call.JsonAsync(body, choices.Max(c => c.Pieces.Count)).ConfigureAwait(false);
        }

        return call.EventStream(BuildStream(call, id, created, model, choices, includeUsage, promptTokens, completionTokens));
    }

    private static List<SandboxEvent> BuildStream(
        SandboxCall call, string id, long created, string model, List<SandboxChoice> choices, bool includeUsage, int promptTokens, int completionTokens)
    {
        List<SandboxEvent> events = [];

        // Choices advance together, one chunk each per step, as OpenAI interleaves them.
        int steps = choices.Max(c => c.Pieces.Count) + 2;
        for (int step = 0; step < steps; step++)
        {
            bool firstInStep = true;
            foreach (SandboxChoice choice in choices)
            {
                (Step kind, int piece) = step == 0 ? (Step.Role, -1) : step <= choice.Pieces.Count ? (Step.Content, step - 1) : (Step.Finish, -1);
                if (kind == Step.Finish && step != choice.Pieces.Count + 1)
                {
                    continue;
                }

                TimeSpan delay = !firstInStep ? TimeSpan.Zero : kind switch
                {
                    Step.Role => call.Options.TimeToFirstToken,
                    Step.Content when piece > 0 => call.Options.InterTokenDelay,
                    _ => TimeSpan.Zero,
                };
                firstInStep = false;
                events.Add(SandboxEvent.Data(w => WriteChunk(w, id, created, model, includeUsage, choice, kind, piece), delay));
            }
        }

        if (includeUsage)
        {
            events.Add(SandboxEvent.Data(
                w =>
                {
                    WriteChunkHeader(w, id, created, model);
                    w.WriteStartArray("choices");
                    w.WriteEndArray();
                    WriteUsage(w, promptTokens, completionTokens);
                    w.WriteEndObject();
                },
                TimeSpan.Zero));
        }

        events.Add(SandboxEvent.Done);
        return events;
    }

    private static void WriteChunk(Utf8JsonWriter w, string id, long created, string model, bool includeUsage, SandboxChoice choice, Step kind, int piece)
    {
        WriteChunkHeader(w, id, created, model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", choice.Index);
        w.WriteStartObject("delta");
        switch (kind)
        {
            case Step.Role:
                w.WriteString("role", "assistant");
                if (choice.IsToolCall)
                {
                    w.WriteNull("content");
                    w.WriteStartArray("tool_calls");
                    w.WriteStartObject();
                    w.WriteNumber("index", 0);
                    w.WriteString("id", choice.ToolCallId);
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", choice.ToolName);
                    w.WriteString("arguments", "");
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndArray();
                }
                else
                {
                    w.WriteString("content", "");
                }

                w.WriteNull("refusal");
                break;
            case Step.Content when choice.IsToolCall:
                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                w.WriteStartObject("function");
                w.WriteString("arguments", choice.Pieces[piece]);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                break;
            case Step.Content:
                w.WriteString("content", choice.Pieces[piece]);
                break;
            default:
                break;
        }

        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (kind == Step.Finish)
        {
            w.WriteString("finish_reason", choice.FinishReason);
        }
        else
        {
            w.WriteNull("finish_reason");
        }

        w.WriteEndObject();
        w.WriteEndArray();
        if (includeUsage)
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    }

    private static void WriteChunkHeader(Utf8JsonWriter w, string id, long created, string model)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteString("service_tier", "default");
        w.WriteString("system_fingerprint", Fingerprint);
    }

    private static void WriteCompletion(Utf8JsonWriter w, string id, long created, string model, List<SandboxChoice> choices, int promptTokens, int completionTokens)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteStartArray("choices");
        foreach (SandboxChoice choice in choices)
        {
            w.WriteStartObject();
            w.WriteNumber("index", choice.Index);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            if (choice.IsToolCall)
            {
                w.WriteNull("content");
            }
            else
            {
                w.WriteString("content", choice.Text);
            }

            w.WriteNull("refusal");
            if (choice.IsToolCall)
            {
                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                w.WriteString("id", choice.ToolCallId);
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", choice.ToolName);
                w.WriteString("arguments", choice.Text);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }

            w.WriteStartArray("annotations");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", choice.FinishReason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteUsage(w, promptTokens, completionTokens);
        w.WriteString("service_tier", "default");
        w.WriteString("system_fingerprint", Fingerprint);
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, int promptTokens, int completionTokens)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", promptTokens);
        w.WriteNumber("completion_tokens", completionTokens);
        w.WriteNumber("total_tokens", promptTokens + completionTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", 0);
        w.WriteNumber("audio_tokens", 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", 0);
        w.WriteNumber("audio_tokens", 0);
        w.WriteNumber("accepted_prediction_tokens", 0);
        w.WriteNumber("rejected_prediction_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static List<string> ReadStops(JsonElement root)
    {
        JsonElement? stop = SandboxJson.Optional(root, "stop");
        List<string> stops = [];
        if (stop is null)
        {
            return stops;
        }

        if (stop.Value.ValueKind == JsonValueKind.String)
        {
            stops.Add(stop.Value.GetString()!);
            return stops;
        }

        if (stop.Value.ValueKind != JsonValueKind.Array)
        {
            throw SandboxJson.WrongType("stop", "a string or an array of strings");
        }

        foreach (JsonElement item in stop.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw SandboxJson.WrongType("stop", "a string or an array of strings");
            }

            stops.Add(item.GetString()!);
        }

        if (stops.Count > 4)
        {
            throw new SandboxRequestException($"Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length {stops.Count} instead.", "stop");
        }

        return stops;
    }

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

            string type = SandboxJson.OptionalString(tool, "type", param + ".type") ?? "function";
            if (type != "function")
            {
                throw new SandboxRequestException($"Invalid value for '{param}.type': only 'function' tools are supported.", param + ".type");
            }

            JsonElement function = SandboxJson.OptionalOfKind(tool, "function", param + ".function", JsonValueKind.Object) ?? throw SandboxJson.Missing(param + ".function");
            string name = SandboxJson.OptionalString(function, "name", param + ".function.name") ?? throw SandboxJson.Missing(param + ".function.name");
            JsonElement? parameters = SandboxJson.OptionalOfKind(function, "parameters", param + ".function.parameters", JsonValueKind.Object);
            tools.Add((name, parameters));
        }

        return tools;
    }

    /// <summary>Chat Completions names a forced function as <c>{"type":"function","function":{"name":...}}</c>.</summary>
    private static string NamedFunction(JsonElement choice)
    {
        JsonElement function = SandboxJson.OptionalOfKind(choice, "function", "tool_choice.function", JsonValueKind.Object) ?? throw SandboxJson.Missing("tool_choice.function");
        return SandboxJson.OptionalString(function, "name", "tool_choice.function.name") ?? throw SandboxJson.Missing("tool_choice.function.name");
    }

    private static (string Type, JsonElement? Schema) ReadResponseFormat(JsonElement root)
    {
        if (SandboxJson.OptionalOfKind(root, "response_format", "response_format", JsonValueKind.Object) is not { } format)
        {
            return ("text", null);
        }

        string type = SandboxJson.OptionalString(format, "type", "response_format.type") ?? throw SandboxJson.Missing("response_format.type");
        switch (type)
        {
            case "text":
            case "json_object":
                return (type, null);
            case "json_schema":
                JsonElement jsonSchema = SandboxJson.OptionalOfKind(format, "json_schema", "response_format.json_schema", JsonValueKind.Object)
                    ?? throw SandboxJson.Missing("response_format.json_schema");
                return (type, SandboxJson.OptionalOfKind(jsonSchema, "schema", "response_format.json_schema.schema", JsonValueKind.Object));
            default:
                throw new SandboxRequestException("Invalid value for 'response_format.type': expected 'text', 'json_object' or 'json_schema'.", "response_format.type");
        }
    }

    /// <summary>The opening for a reply to the last (tool) message, naming the function that produced it.</summary>
    private static string ToolOpening(JsonElement messages, JsonElement toolMessage)
    {
        string output = toolMessage.TryGetProperty("content", out JsonElement content) ? string.Join(' ', SandboxJson.ContentTexts(content, "content")) : "";
        string? callId = toolMessage.TryGetProperty("tool_call_id", out JsonElement id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        string? name = null;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            if (message.TryGetProperty("tool_calls", out JsonElement calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement toolCall in calls.EnumerateArray())
                {
                    if (toolCall.ValueKind == JsonValueKind.Object
                        && toolCall.TryGetProperty("id", out JsonElement callIdElement) && callIdElement.ValueKind == JsonValueKind.String
                        && callIdElement.GetString() == callId
                        && toolCall.TryGetProperty("function", out JsonElement function) && function.ValueKind == JsonValueKind.Object
                        && function.TryGetProperty("name", out JsonElement nameElement) && nameElement.ValueKind == JsonValueKind.String)
                    {
                        name = nameElement.GetString();
                    }
                }
            }
        }

        return SandboxTextGenerator.ToolResultOpening(name, output);
    }
}
