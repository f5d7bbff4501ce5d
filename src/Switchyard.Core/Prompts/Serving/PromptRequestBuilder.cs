using System.Buffers;
using System.Text.Json;
using Switchyard.Gateway;

namespace Switchyard.Prompts.Serving;

/// <summary>
/// The request a prompt reference stands for: the rendered template before the request's own messages,
/// and the version's model group, parameters, tools and response format wherever the request sets none
/// (or everywhere, when the caller may not override them). Each API gets its own shape: chat
/// <c>messages</c>; Anthropic <c>system</c> and <c>messages</c>; Responses <c>input</c>. One pass over the
/// request's top-level fields, written straight out: this runs on every call that names a prompt.
/// </summary>
internal static class PromptRequestBuilder
{
    private static readonly JsonWriterOptions s_writer = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="modelGroup">An experiment arm's model group, in place of the version's.</param>
    /// <param name="parametersJson">An experiment arm's parameters (a JSON object), laid over the version's.</param>
    public static byte[] Build(ClientApi api, ReadOnlySpan<byte> body, CompiledPrompt prompt, IReadOnlyDictionary<string, object?> values, bool removePrompt, bool mayOverride, string? modelGroup = null, string? parametersJson = null)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        using var armParameters = parametersJson is null ? null : Merge(prompt.Parameters, parametersJson);
        var plan = new Plan(api, root, prompt, mayOverride, modelGroup ?? prompt.Version.Content.ModelGroup, armParameters?.RootElement ?? prompt.Parameters);
        var anthropic = api is ClientApi.Messages or ClientApi.CountTokens;
        var turnsField = api == ClientApi.Responses ? "input" : "messages";
        var systemText = anthropic ? SystemText(prompt, values) : null;

        var output = new ArrayBufferWriter<byte>(body.Length + 1024);
        using (var json = new Utf8JsonWriter(output, s_writer))
        {
            json.WriteStartObject();
            bool wroteTurns = false, wroteSystem = false, wroteText = false;
            foreach (var property in root.EnumerateObject())
            {
                var name = property.Name;
                if ((removePrompt && name == "prompt") || plan.TakesFromVersion(name))
                {
                    continue;
                }

                if (name == turnsField)
                {
                    json.WritePropertyName(turnsField);
                    WriteTurns(json, api, prompt, values, property.Value);
                    wroteTurns = true;
                }
                else if (anthropic && name == "system" && systemText is { Length: > 0 })
                {
                    WriteSystem(json, systemText, property.Value);
                    wroteSystem = true;
                }
                else if (api == ClientApi.Responses && name == "text" && plan.Format && property.Value.ValueKind == JsonValueKind.Object)
                {
                    WriteTextWithFormat(json, property.Value, prompt.ResponseFormat);
                    wroteText = true;
                }
                else
                {
                    property.WriteTo(json);
                }
            }

            if (!wroteTurns)
            {
                json.WritePropertyName(turnsField);
                WriteTurns(json, api, prompt, values, default);
            }

            if (anthropic && !wroteSystem && systemText is { Length: > 0 })
            {
                json.WriteString("system", systemText);
            }

            plan.WriteVersionSettings(json, wroteText);
            json.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static JsonDocument Merge(JsonElement version, string arm)
    {
        var merged = version.ValueKind == JsonValueKind.Object ? System.Text.Json.Nodes.JsonObject.Create(version)!.DeepClone().AsObject() : [];
        if (System.Text.Json.Nodes.JsonNode.Parse(arm) is System.Text.Json.Nodes.JsonObject own)
        {
            foreach (var (name, value) in own.ToArray())
            {
                merged[name] = value?.DeepClone();
            }
        }

        return JsonDocument.Parse(merged.ToJsonString());
    }

    private static string? SystemText(CompiledPrompt prompt, IReadOnlyDictionary<string, object?> values) =>
        prompt.Version.Content.Kind == PromptKind.Chat && prompt.HasSystemTurns ? prompt.RenderSystem(values) : null;

    /// <summary>The template's turns (Anthropic: all but the system ones), then the request's own.</summary>
    private static void WriteTurns(Utf8JsonWriter json, ClientApi api, CompiledPrompt prompt, IReadOnlyDictionary<string, object?> values, JsonElement own)
    {
        json.WriteStartArray();
        if (prompt.Version.Content.Kind == PromptKind.Text)
        {
            // A text prompt is the user's turn: sent first, before any messages of the request's own.
            WriteUserTurn(json, prompt.RenderText(values));
        }
        else
        {
            prompt.WriteMessages(json, values, api is ClientApi.Messages or ClientApi.CountTokens ? false : null);
        }

        switch (own.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in own.EnumerateArray())
                {
                    item.WriteTo(json);
                }

                break;
            case JsonValueKind.String when api == ClientApi.Responses:
                WriteUserTurn(json, own.GetString()!);
                break;
            case JsonValueKind.Undefined or JsonValueKind.Null:
                break;
            default:
                own.WriteTo(json); // not a list: kept as sent, for the upstream to refuse in its own words
                break;
        }

        json.WriteEndArray();
    }

    private static void WriteUserTurn(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString("role", "user");
        json.WriteString("content", text);
        json.WriteEndObject();
    }

    /// <summary>Anthropic's <c>system</c>: the template's system turns first, then the request's own (text or blocks).</summary>
    private static void WriteSystem(Utf8JsonWriter json, string template, JsonElement own)
    {
        switch (own.ValueKind)
        {
            case JsonValueKind.String:
                json.WriteString("system", template + "\n\n" + own.GetString());
                break;
            case JsonValueKind.Array:
                json.WriteStartArray("system");
                json.WriteStartObject();
                json.WriteString("type", "text");
                json.WriteString("text", template);
                json.WriteEndObject();
                foreach (var block in own.EnumerateArray())
                {
                    block.WriteTo(json);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteString("system", template);
                break;
        }
    }

    private static void WriteTextWithFormat(Utf8JsonWriter json, JsonElement text, JsonElement format)
    {
        json.WriteStartObject("text");
        foreach (var property in text.EnumerateObject())
        {
            if (!property.NameEquals("format"))
            {
                property.WriteTo(json);
            }
        }

        WriteResponsesFormat(json, format);
        json.WriteEndObject();
    }

    /// <summary>Responses nests the format under <c>text.format</c>, with a json_schema's fields beside its type.</summary>
    internal static void WriteResponsesFormat(Utf8JsonWriter json, JsonElement format)
    {
        json.WritePropertyName("format");
        if (format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var type) && type.ValueEquals("json_schema") && format.TryGetProperty("json_schema", out var schema) && schema.ValueKind == JsonValueKind.Object)
        {
            json.WriteStartObject();
            json.WriteString("type", "json_schema");
            foreach (var property in schema.EnumerateObject())
            {
                if (!property.NameEquals("type"))
                {
                    property.WriteTo(json);
                }
            }

            json.WriteEndObject();
        }
        else
        {
            format.WriteTo(json);
        }
    }

    /// <summary>Which of the version's settings the request gets, decided once from the request's own fields.</summary>
    private readonly struct Plan
    {
        private static readonly string[] s_outputLimits = ["max_tokens", "max_completion_tokens", "max_output_tokens"];

        private readonly ClientApi _api;
        private readonly JsonElement _root;
        private readonly CompiledPrompt _prompt;
        private readonly string? _modelGroup;
        private readonly JsonElement _parameters;
        private readonly bool _mayOverride;
        private readonly bool _model;
        private readonly bool _limit;
        private readonly bool _tools;

        public Plan(ClientApi api, JsonElement root, CompiledPrompt prompt, bool mayOverride, string? modelGroup, JsonElement parameters)
        {
            _api = api;
            _root = root;
            _prompt = prompt;
            _modelGroup = modelGroup;
            _parameters = parameters;
            _mayOverride = mayOverride;
            _model = modelGroup is not null && (!mayOverride || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString()!.Length == 0);
            var versionLimit = parameters.ValueKind == JsonValueKind.Object && s_outputLimits.Any(l => parameters.TryGetProperty(l, out _));
            _limit = versionLimit && (!mayOverride || !s_outputLimits.Any(Sets));
            _tools = prompt.Tools.ValueKind != JsonValueKind.Undefined && (!mayOverride || !Sets("tools"));
            Format = prompt.ResponseFormat.ValueKind != JsonValueKind.Undefined && api switch
            {
                ClientApi.ChatCompletions => !mayOverride || !Sets("response_format"),
                ClientApi.Responses => !mayOverride || !root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.Object || !text.TryGetProperty("format", out _),
                _ => false, // Anthropic messages have no response format
            };
        }

        /// <summary>Whether the version's response format is sent.</summary>
        public bool Format { get; }

        /// <summary>True when the request's own field gives way to the version's (written by <see cref="WriteVersionSettings"/>).</summary>
        public bool TakesFromVersion(string name)
        {
            if (name == "model")
            {
                return _model;
            }

            if (Array.IndexOf(s_outputLimits, name) >= 0)
            {
                return _limit;
            }

            if (name == "tools")
            {
                return _tools;
            }

            if (name == "response_format" && _api == ClientApi.ChatCompletions)
            {
                return Format;
            }

            return _parameters.ValueKind == JsonValueKind.Object && _parameters.TryGetProperty(name, out _) && !_mayOverride;
        }

        public void WriteVersionSettings(Utf8JsonWriter json, bool wroteText)
        {
            if (_model)
            {
                json.WriteString("model", _modelGroup);
            }

            if (_parameters.ValueKind == JsonValueKind.Object)
            {
                var limitWritten = false;
                foreach (var parameter in _parameters.EnumerateObject())
                {
                    if (Array.IndexOf(s_outputLimits, parameter.Name) >= 0)
                    {
                        // One output limit per API, under the name that API reads; count_tokens takes none.
                        if (_limit && !limitWritten && _api != ClientApi.CountTokens)
                        {
                            json.WritePropertyName(_api switch { ClientApi.Responses => "max_output_tokens", ClientApi.Messages => "max_tokens", _ => parameter.Name });
                            parameter.Value.WriteTo(json);
                            limitWritten = true;
                        }
                    }
                    else if (!_mayOverride || !Sets(parameter.Name))
                    {
                        parameter.WriteTo(json);
                    }
                }
            }

            if (_tools)
            {
                json.WritePropertyName("tools");
                _prompt.Tools.WriteTo(json);
            }

            if (Format && _api == ClientApi.ChatCompletions)
            {
                json.WritePropertyName("response_format");
                _prompt.ResponseFormat.WriteTo(json);
            }
            else if (Format && _api == ClientApi.Responses && !wroteText)
            {
                json.WriteStartObject("text");
                WriteResponsesFormat(json, _prompt.ResponseFormat);
                json.WriteEndObject();
            }
        }

        private bool Sets(string name) => _root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;
    }
}
