using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Gateway;

namespace Switchyard.Prompts.Serving;

/// <summary>
/// The request a prompt reference stands for: the rendered template before the request's own messages,
/// and the version's model group, parameters, tools and response format wherever the request sets none
/// (or everywhere, when the caller may not override them). Each API gets its own shape: chat
/// <c>messages</c>; Anthropic <c>system</c> and <c>messages</c>; Responses <c>input</c>.
/// </summary>
internal static class PromptRequestBuilder
{
    private static readonly JsonWriterOptions s_writer = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] s_outputLimits = ["max_tokens", "max_completion_tokens", "max_output_tokens"];

    public static byte[] Build(ClientApi api, ReadOnlySpan<byte> body, CompiledPrompt prompt, IReadOnlyDictionary<string, object?> values, bool removePrompt, bool mayOverride)
    {
        var root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 256 })!.AsObject();
        if (removePrompt)
        {
            root.Remove("prompt");
        }

        var rendered = Rendered(prompt, values);
        switch (api)
        {
            case ClientApi.ChatCompletions:
                root["messages"] = Concat(rendered, root["messages"]);
                break;
            case ClientApi.Messages or ClientApi.CountTokens:
                PlaceForAnthropic(root, rendered);
                break;
            case ClientApi.Responses:
                root["input"] = Concat(rendered, root["input"] is JsonValue text && text.GetValueKind() == JsonValueKind.String
                    ? new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text.GetValue<string>() })
                    : root["input"]);
                break;
        }

        var content = prompt.Version.Content;
        if (content.ModelGroup is { } group && (!mayOverride || root["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String || model.GetValue<string>().Length == 0))
        {
            root["model"] = group;
        }

        if (content.ParametersJson is { } parameters && JsonNode.Parse(parameters) is JsonObject set)
        {
            ApplyParameters(root, set, api, mayOverride);
        }

        if (content.ToolsJson is { } tools && (!mayOverride || root["tools"] is null))
        {
            root["tools"] = JsonNode.Parse(tools);
        }

        if (content.ResponseFormatJson is { } format)
        {
            ApplyResponseFormat(root, JsonNode.Parse(format), api, mayOverride);
        }

        using var buffer = new MemoryStream(body.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer, s_writer))
        {
            root.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    private static JsonArray Rendered(CompiledPrompt prompt, IReadOnlyDictionary<string, object?> values)
    {
        if (prompt.Version.Content.Kind == PromptKind.Text)
        {
            // A text prompt is the user's turn: sent first, before any messages of the request's own.
            return [new JsonObject { ["role"] = "user", ["content"] = prompt.RenderText(values) }];
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_writer))
        {
            writer.WriteStartArray();
            prompt.WriteMessages(writer, values);
            writer.WriteEndArray();
        }

        return JsonNode.Parse(buffer.ToArray())!.AsArray();
    }

    private static JsonArray Concat(JsonArray rendered, JsonNode? own)
    {
        if (own is JsonArray items)
        {
            foreach (var item in items.ToArray())
            {
                items.Remove(item);
                rendered.Add(item);
            }
        }

        return rendered;
    }

    /// <summary>Anthropic keeps the system prompt out of the messages: the template's system turns go first in <c>system</c>.</summary>
    private static void PlaceForAnthropic(JsonObject root, JsonArray rendered)
    {
        var system = new List<string>();
        var turns = new JsonArray();
        foreach (var message in rendered.ToArray())
        {
            rendered.Remove(message);
            if (message is JsonObject turn && turn["role"]?.GetValue<string>() is "system" or "developer" && turn["content"] is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            {
                system.Add(text.GetValue<string>());
            }
            else
            {
                turns.Add(message);
            }
        }

        if (system.Count > 0)
        {
            var joined = string.Join("\n\n", system);
            root["system"] = root["system"] switch
            {
                JsonValue own when own.GetValueKind() == JsonValueKind.String => joined + "\n\n" + own.GetValue<string>(),
                JsonArray blocks => Concat(new JsonArray(new JsonObject { ["type"] = "text", ["text"] = joined }), blocks),
                _ => joined,
            };
        }

        root["messages"] = Concat(turns, root["messages"]);
    }

    private static void ApplyParameters(JsonObject root, JsonObject parameters, ClientApi api, bool mayOverride)
    {
        foreach (var (name, value) in parameters.ToArray())
        {
            var target = name;
            if (Array.IndexOf(s_outputLimits, name) >= 0)
            {
                // One output limit per API, under the name that API reads.
                target = api == ClientApi.Responses ? "max_output_tokens" : api is ClientApi.Messages or ClientApi.CountTokens ? "max_tokens" : name;
                var requestSetsOne = s_outputLimits.Any(l => root[l] is not null);
                if (mayOverride && requestSetsOne)
                {
                    continue;
                }

                foreach (var limit in s_outputLimits)
                {
                    root.Remove(limit);
                }
            }
            else if (mayOverride && root[target] is not null)
            {
                continue;
            }

            if (api == ClientApi.CountTokens && target == "max_tokens")
            {
                continue; // count_tokens takes no max_tokens
            }

            root[target] = value?.DeepClone();
        }
    }

    private static void ApplyResponseFormat(JsonObject root, JsonNode? format, ClientApi api, bool mayOverride)
    {
        switch (api)
        {
            case ClientApi.ChatCompletions when !mayOverride || root["response_format"] is null:
                root["response_format"] = format;
                break;
            case ClientApi.Responses when !mayOverride || root["text"] is not JsonObject { } own || own["format"] is null:
                // Responses nests the format under text.format, with a json_schema's fields beside its type.
                var responsesFormat = (format is JsonObject chat && chat["type"]?.GetValue<string>() == "json_schema" && chat["json_schema"] is JsonObject schema)
                    ? Flatten(schema)
                    : format;
                if (root["text"] is JsonObject text)
                {
                    text["format"] = responsesFormat;
                }
                else
                {
                    root["text"] = new JsonObject { ["format"] = responsesFormat };
                }

                break;
        }
    }

    private static JsonObject Flatten(JsonObject schema)
    {
        var flat = new JsonObject { ["type"] = "json_schema" };
        foreach (var (name, value) in schema.ToArray())
        {
            flat[name] = value?.DeepClone();
        }

        return flat;
    }
}
