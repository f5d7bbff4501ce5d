using System.Text.Json;
using System.Text.RegularExpressions;
using Switchyard.Prompts;

namespace Switchyard.Hosting;

/// <summary>
/// A version's settings as Langfuse's free-form <c>config</c>, and back. Langfuse users keep request
/// settings flat in it (<c>{"model": ..., "temperature": ...}</c>), so the parameters are spread at the top
/// beside <c>model</c>, <c>pinned_model</c>, <c>tools</c> and <c>response_format</c>; what only Switchyard
/// knows (the declared variables) sits under <c>switchyard</c>. Reading a config back gives the same version,
/// so a prompt copied through the Langfuse API loses nothing.
/// </summary>
internal static partial class LangfusePromptConfig
{
    public const string Model = "model";
    public const string PinnedModel = "pinned_model";
    public const string Tools = "tools";
    public const string ResponseFormat = "response_format";
    public const string Switchyard = "switchyard";

    private static readonly string[] s_reserved = [Model, PinnedModel, Tools, ResponseFormat, Switchyard];

    /// <summary>The config of a version: an object, <c>{}</c> when it sets nothing.</summary>
    public static JsonElement Write(PromptDraft content)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (content.ModelGroup is { } model)
            {
                json.WriteString(Model, model);
            }

            if (content.PinnedModel is { } pinned)
            {
                json.WriteString(PinnedModel, pinned);
            }

            // A parameter named like one of the fields above cannot sit beside it; then the whole object is
            // also kept under switchyard.parameters, so reading the config back restores it.
            var clash = false;
            if (content.ParametersJson is { } parameters)
            {
                using var document = JsonDocument.Parse(parameters);
                foreach (var parameter in document.RootElement.EnumerateObject())
                {
                    if (s_reserved.Contains(parameter.Name, StringComparer.Ordinal))
                    {
                        clash = true;
                        continue;
                    }

                    parameter.WriteTo(json);
                }
            }

            foreach (var (field, raw) in (ReadOnlySpan<(string, string?)>)[(Tools, content.ToolsJson), (ResponseFormat, content.ResponseFormatJson)])
            {
                if (raw is not null)
                {
                    json.WritePropertyName(field);
                    json.WriteRawValue(raw, skipInputValidation: true);
                }
            }

            if (content.Variables.Count > 0 || clash)
            {
                json.WriteStartObject(Switchyard);
                if (content.Variables.Count > 0)
                {
                    WriteVariables(json, content.Variables);
                }

                if (clash)
                {
                    json.WritePropertyName("parameters");
                    json.WriteRawValue(content.ParametersJson!, skipInputValidation: true);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        using var written = JsonDocument.Parse(buffer.WrittenMemory);
        return written.RootElement.Clone();
    }

    /// <summary>
    /// <paramref name="draft"/> with the settings <paramref name="config"/> holds, or the problem with it, naming
    /// the member (<c>config.tools: must be an array of tools.</c>). Null or absent sets nothing.
    /// </summary>
    public static string? Read(JsonElement? config, PromptDraft draft, out PromptDraft? result)
    {
        result = null;
        if (config is not { ValueKind: not JsonValueKind.Null } given)
        {
            result = draft;
            return null;
        }

        if (given.ValueKind != JsonValueKind.Object)
        {
            return "config: must be a JSON object.";
        }

        string? model = null, pinned = null, tools = null, format = null;
        JsonElement? nested = null;
        var flat = new List<JsonProperty>();
        foreach (var member in given.EnumerateObject())
        {
            var value = member.Value;
            switch (member.Name)
            {
                case Model or PinnedModel when value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null) || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length is 0 or > 256):
                    return $"config.{member.Name}: must be a model name (a string).";
                case Model:
                    model = value.GetString();
                    break;
                case PinnedModel:
                    pinned = value.GetString();
                    break;
                case Tools when value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null):
                    return "config.tools: must be an array of tools.";
                case Tools:
                    tools = Raw(value);
                    break;
                case ResponseFormat when value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null):
                    return "config.response_format: must be a JSON object.";
                case ResponseFormat:
                    format = Raw(value);
                    break;
                case Switchyard when value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null):
                    return "config.switchyard: must be a JSON object with variables and parameters.";
                case Switchyard:
                    nested = value;
                    break;
                default:
                    flat.Add(member);
                    break;
            }
        }

        IReadOnlyList<PromptVariable> variables = [];
        JsonElement? kept = null;
        if (nested is { ValueKind: JsonValueKind.Object } switchyard)
        {
            foreach (var member in switchyard.EnumerateObject())
            {
                if (member.NameEquals("variables"))
                {
                    if (Variables(member.Value, out var declared) is { } problem)
                    {
                        return problem;
                    }

                    variables = declared;
                }
                else if (member.NameEquals("parameters"))
                {
                    if (member.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                    {
                        return "config.switchyard.parameters: must be a JSON object.";
                    }

                    kept = member.Value;
                }
                else
                {
                    return $"config.switchyard.{member.Name}: unknown field (expected variables, parameters).";
                }
            }
        }

        result = draft with
        {
            ModelGroup = model,
            PinnedModel = pinned,
            ParametersJson = Parameters(kept, flat),
            ToolsJson = tools,
            ResponseFormatJson = format,
            Variables = variables,
        };
        return null;
    }

    /// <summary>The parameters object: switchyard.parameters when given, with the flat members over it, in order.</summary>
    private static string? Parameters(JsonElement? kept, List<JsonProperty> flat)
    {
        var members = new List<(string Name, JsonElement Value)>();
        if (kept is { ValueKind: JsonValueKind.Object } whole)
        {
            members.AddRange(whole.EnumerateObject().Select(p => (p.Name, p.Value)));
        }

        foreach (var member in flat)
        {
            var at = members.FindIndex(m => m.Name == member.Name);
            if (at >= 0)
            {
                members[at] = (member.Name, member.Value);
            }
            else
            {
                members.Add((member.Name, member.Value));
            }
        }

        if (members.Count == 0)
        {
            return null;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in members)
            {
                json.WritePropertyName(name);
                value.WriteTo(json);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteVariables(Utf8JsonWriter json, IReadOnlyList<PromptVariable> variables)
    {
        json.WriteStartArray("variables");
        foreach (var variable in variables)
        {
            json.WriteStartObject();
            json.WriteString("name", variable.Name);
            json.WriteString("type", variable.Type);
            if (variable.Default is not null)
            {
                json.WritePropertyName("default");
                if (variable.Type == "string")
                {
                    json.WriteStringValue(variable.Default);
                }
                else
                {
                    json.WriteRawValue(variable.Default, skipInputValidation: true);
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Declared variables, by the rules of <c>POST /api/prompts</c>: a name, a type, a default of that type, each once.</summary>
    private static string? Variables(JsonElement given, out List<PromptVariable> variables)
    {
        variables = [];
        if (given.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (given.ValueKind != JsonValueKind.Array)
        {
            return "config.switchyard.variables: must be an array of {name, type, default}.";
        }

        foreach (var variable in given.EnumerateArray())
        {
            if (variable.ValueKind != JsonValueKind.Object
                || !variable.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
                || nameElement.GetString() is not { } name || !VariableName().IsMatch(name))
            {
                return "config.switchyard.variables: each needs a name of letters, digits, '_' or '-', starting with a letter or '_'.";
            }

            foreach (var member in variable.EnumerateObject())
            {
                if (member.Name is not ("name" or "type" or "default"))
                {
                    return $"config.switchyard.variables.{name}.{member.Name}: unknown field (expected name, type, default).";
                }
            }

            var type = variable.TryGetProperty("type", out var typeElement) && typeElement.ValueKind != JsonValueKind.Null
                ? typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString()! : ""
                : "string";
            if (type is not ("string" or "number" or "boolean" or "json"))
            {
                return $"config.switchyard.variables.{name}.type: must be string, number, boolean or json.";
            }

            string? fallback = null;
            if (variable.TryGetProperty("default", out var fallbackElement) && fallbackElement.ValueKind != JsonValueKind.Null)
            {
                fallback = (type, fallbackElement.ValueKind) switch
                {
                    ("string", JsonValueKind.String) => fallbackElement.GetString(),
                    ("number", JsonValueKind.Number) => fallbackElement.GetRawText(),
                    ("boolean", JsonValueKind.True or JsonValueKind.False) => fallbackElement.GetRawText(),
                    ("json", _) => fallbackElement.GetRawText(),
                    _ => null,
                };
                if (fallback is null)
                {
                    return $"config.switchyard.variables.{name}.default: must be a {type}.";
                }
            }

            if (variables.Any(v => v.Name == name))
            {
                return $"config.switchyard.variables.{name}: declared twice.";
            }

            variables.Add(new PromptVariable(name, type, fallback));
        }

        return null;
    }

    private static string? Raw(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetRawText();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}
