using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Providers;

namespace Switchyard.Tracing;

/// <summary>
/// Turns the events of a captured stream into the one response a plain call would have returned,
/// so traces show streamed answers assembled. Runs on the record writer's thread.
/// </summary>
/// <remarks>Events are stored length-prefixed (4-byte little-endian length, then the data bytes).</remarks>
internal static class StreamAssembler
{
    public static void Append(Buffers.PooledBufferWriter capture, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteInt32LittleEndian(capture.GetSpan(4), data.Length);
        capture.Advance(4);
        capture.Write(data);
    }

    /// <param name="text">The answer's text to record instead of the deltas' (a stream the output guards masked); null keeps them.</param>
    public static string Assemble(WireFormat format, ReadOnlySpan<byte> captured, string? text = null)
    {
        // The common case, a chat stream of text deltas, is assembled with a forward-only reader:
        // building a DOM per chunk allocated enough on the writer thread to show up as GC pauses in
        // the gateway's tail latency. Anything unusual (tool calls, unparsable chunks) takes the DOM path.
        if (text is null && format == WireFormat.OpenAIChat && ChatTextAssembler.TryAssemble(captured) is { } fast)
        {
            return fast;
        }

        var events = new List<JsonObject>();
        while (captured.Length >= 4)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(captured);
            if (length < 0 || length > captured.Length - 4)
            {
                break; // cut at the capture limit
            }

            var data = captured.Slice(4, length);
            captured = captured[(4 + length)..];
            if (data.SequenceEqual("[DONE]"u8))
            {
                continue;
            }

            try
            {
                if (JsonNode.Parse(data) is JsonObject obj)
                {
                    events.Add(obj);
                }
            }
            catch (JsonException)
            {
                events.Add(new JsonObject { ["unparsed"] = Encoding.UTF8.GetString(data) });
            }
        }

        var assembled = format switch
        {
            WireFormat.AnthropicMessages => AssembleAnthropic(events),
            WireFormat.OpenAIResponses => AssembleResponses(events),
            _ => AssembleChat(events),
        };
        if (text is not null)
        {
            ReplaceText(format, assembled, text);
        }

        return assembled.ToJsonString();
    }

    /// <summary>Puts <paramref name="text"/> where the answer's text is: the first choice, the first text block, or the output text.</summary>
    private static void ReplaceText(WireFormat format, JsonObject assembled, string text)
    {
        switch (format)
        {
            case WireFormat.AnthropicMessages:
                var first = true;
                foreach (var block in assembled["content"] as JsonArray ?? [])
                {
                    if (block is JsonObject { } textBlock && textBlock["type"]?.GetValue<string>() == "text")
                    {
                        textBlock["text"] = first ? text : "";
                        first = false;
                    }
                }

                break;
            case WireFormat.OpenAIResponses:
                assembled["output_text"] = text;
                break;
            default:
                if (assembled["choices"] is JsonArray { Count: > 0 } choices && choices[0]?["message"] is JsonObject message)
                {
                    message["content"] = text;
                }

                break;
        }
    }

    private static JsonObject AssembleChat(List<JsonObject> chunks)
    {
        var choices = new SortedDictionary<int, (StringBuilder Content, StringBuilder Reasoning, SortedDictionary<int, (string? Id, string? Name, StringBuilder Args)> Tools, string? Finish, string Role)>();
        JsonNode? usage = null;
        string? model = null, id = null;
        JsonNode? error = null;
        foreach (var chunk in chunks)
        {
            model ??= chunk["model"]?.GetValue<string>();
            id ??= chunk["id"]?.GetValue<string>();
            error ??= chunk["error"]?.DeepClone();
            if (chunk["usage"] is JsonObject u)
            {
                usage = u.DeepClone();
            }

            if (chunk["choices"] is not JsonArray array)
            {
                continue;
            }

            foreach (var choice in array.OfType<JsonObject>())
            {
                var index = choice["index"]?.GetValue<int>() ?? 0;
                if (!choices.TryGetValue(index, out var state))
                {
                    state = (new StringBuilder(), new StringBuilder(), new SortedDictionary<int, (string?, string?, StringBuilder)>(), null, "assistant");
                }

                if (choice["delta"] is JsonObject delta)
                {
                    state.Role = delta["role"]?.GetValue<string>() ?? state.Role;
                    state.Content.Append(Text(delta["content"]));
                    state.Reasoning.Append(Text(delta["reasoning_content"]));
                    if (delta["tool_calls"] is JsonArray calls)
                    {
                        foreach (var call in calls.OfType<JsonObject>())
                        {
                            var toolIndex = call["index"]?.GetValue<int>() ?? 0;
                            state.Tools.TryGetValue(toolIndex, out var tool);
                            tool.Args ??= new StringBuilder();
                            tool.Id ??= call["id"]?.GetValue<string>();
                            tool.Name ??= call["function"]?["name"]?.GetValue<string>();
                            tool.Args.Append(Text(call["function"]?["arguments"]));
                            state.Tools[toolIndex] = tool;
                        }
                    }
                }

                state.Finish = choice["finish_reason"]?.GetValue<string>() ?? state.Finish;
                choices[index] = state;
            }
        }

        var result = new JsonObject { ["id"] = id, ["object"] = "chat.completion", ["model"] = model };
        var list = new JsonArray();
        foreach (var (index, state) in choices)
        {
            var message = new JsonObject { ["role"] = state.Role, ["content"] = state.Content.Length == 0 && state.Tools.Count > 0 ? null : state.Content.ToString() };
            if (state.Reasoning.Length > 0)
            {
                message["reasoning_content"] = state.Reasoning.ToString();
            }

            if (state.Tools.Count > 0)
            {
                message["tool_calls"] = new JsonArray(state.Tools.Values.Select(t => (JsonNode)new JsonObject
                {
                    ["id"] = t.Id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = t.Name, ["arguments"] = t.Args.ToString() },
                }).ToArray());
            }

            list.Add(new JsonObject { ["index"] = index, ["message"] = message, ["finish_reason"] = state.Finish });
        }

        result["choices"] = list;
        result["usage"] = usage;
        if (error is not null)
        {
            result["error"] = error;
        }

        return result;
    }

    private static JsonObject AssembleAnthropic(List<JsonObject> events)
    {
        var result = new JsonObject { ["type"] = "message", ["role"] = "assistant" };
        var blocks = new SortedDictionary<int, (JsonObject Block, StringBuilder Text)>();
        JsonObject usage = [];
        foreach (var e in events)
        {
            switch (e["type"]?.GetValue<string>())
            {
                case "message_start" when e["message"] is JsonObject message:
                    result["id"] = message["id"]?.DeepClone();
                    result["model"] = message["model"]?.DeepClone();
                    Merge(usage, message["usage"] as JsonObject);
                    break;
                case "content_block_start" when e["content_block"] is JsonObject block:
                    blocks[e["index"]?.GetValue<int>() ?? blocks.Count] = ((JsonObject)block.DeepClone(), new StringBuilder());
                    break;
                case "content_block_delta" when e["delta"] is JsonObject delta:
                    var index = e["index"]?.GetValue<int>() ?? 0;
                    if (blocks.TryGetValue(index, out var state))
                    {
                        state.Text.Append(Text(delta["text"]) + Text(delta["partial_json"]) + Text(delta["thinking"]));
                    }

                    break;
                case "message_delta":
                    result["stop_reason"] = e["delta"]?["stop_reason"]?.DeepClone();
                    Merge(usage, e["usage"] as JsonObject);
                    break;
                case "error":
                    result["error"] = e["error"]?.DeepClone();
                    break;
            }
        }

        var content = new JsonArray();
        foreach (var (block, text) in blocks.Values)
        {
            switch (block["type"]?.GetValue<string>())
            {
                case "text":
                    block["text"] = text.ToString();
                    break;
                case "thinking":
                    block["thinking"] = text.ToString();
                    break;
                case "tool_use":
                    block["input"] = ParseOrString(text.ToString());
                    break;
            }

            content.Add(block);
        }

        result["content"] = content;
        result["usage"] = usage;
        return result;
    }

    private static JsonObject AssembleResponses(List<JsonObject> events)
    {
        var text = new StringBuilder();
        foreach (var e in events)
        {
            var type = e["type"]?.GetValue<string>();
            if (type is "response.completed" or "response.incomplete" or "response.failed" && e["response"] is JsonObject response)
            {
                return (JsonObject)response.DeepClone();
            }

            if (type == "response.output_text.delta")
            {
                text.Append(Text(e["delta"]));
            }
        }

        return new JsonObject { ["object"] = "response", ["status"] = "incomplete", ["output_text"] = text.ToString() };
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : "";

    private static void Merge(JsonObject into, JsonObject? from)
    {
        if (from is null)
        {
            return;
        }

        foreach (var (key, value) in from)
        {
            into[key] = value?.DeepClone();
        }
    }

    private static JsonNode? ParseOrString(string text)
    {
        if (text.Length == 0)
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
