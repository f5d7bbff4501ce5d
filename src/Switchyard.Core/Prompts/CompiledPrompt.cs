using System.Globalization;
using System.Text.Json;

namespace Switchyard.Prompts;

/// <summary>
/// A prompt version ready to render: its templates compiled once, its variables with their types and
/// defaults. Rendering checks the call's variables against the declaration, so a missing, unknown or
/// mistyped variable is an error that names it.
/// </summary>
internal sealed class CompiledPrompt
{
    private PromptTemplate? _text;
    private readonly List<(JsonElement Message, PromptTemplate? Content)> _messages = [];
    private readonly Dictionary<string, PromptVariable> _declared;

    private CompiledPrompt(PromptVersion version)
    {
        Version = version;
        _declared = version.Content.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
    }

    public PromptVersion Version { get; }

    /// <summary>The version's <c>parameters</c>, <c>tools</c> and <c>response_format</c>, parsed once; undefined when it has none.</summary>
    public JsonElement Parameters { get; private set; }

    public JsonElement Tools { get; private set; }

    public JsonElement ResponseFormat { get; private set; }

    /// <summary>Every variable the templates read, declared or not, in order of first use.</summary>
    public IReadOnlyList<string> Referenced { get; private set; } = [];

    /// <summary>Compiles a version, or says why its template cannot be (a chat template that is not an array of messages, a parse error).</summary>
    public static CompiledPrompt? TryCompile(PromptVersion version, out string? problem)
    {
        var compiled = new CompiledPrompt(version);
        var referenced = new List<string>();
        problem = null;
        if (version.Content.Kind == PromptKind.Text)
        {
            compiled._text = PromptTemplate.TryCompile(version.Content.Template, out problem);
            referenced.AddRange(compiled._text?.Variables ?? []);
        }
        else
        {
            JsonElement messages;
            try
            {
                using var document = JsonDocument.Parse(version.Content.Template);
                messages = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                problem = $"a chat prompt is a JSON array of messages ({ex.Message})";
                return null;
            }

            if (messages.ValueKind != JsonValueKind.Array || messages.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String))
            {
                problem = "a chat prompt is a JSON array of messages, each an object with a role";
                return null;
            }

            foreach (var message in messages.EnumerateArray())
            {
                PromptTemplate? content = null;
                if (message.TryGetProperty("content", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    content = PromptTemplate.TryCompile(text.GetString()!, out problem);
                    if (content is null)
                    {
                        return null;
                    }

                    referenced.AddRange(content.Variables);
                }

                compiled._messages.Add((message, content));
            }
        }

        if (problem is not null)
        {
            return null;
        }

        compiled.Referenced = [.. referenced.Distinct(StringComparer.Ordinal)];
        compiled.Parameters = ParseSetting(version.Content.ParametersJson);
        compiled.Tools = ParseSetting(version.Content.ToolsJson);
        compiled.ResponseFormat = ParseSetting(version.Content.ResponseFormatJson);
        return compiled;
    }

    /// <summary>
    /// The values to render with: the call's, checked against their declared types, else the defaults.
    /// Null with <paramref name="problem"/> naming the variable when one is missing, unknown or of the wrong type.
    /// </summary>
    public Dictionary<string, object?>? Bind(JsonElement variables, out string? problem)
    {
        problem = null;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (variables.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            problem = "variables: must be a JSON object of variable names and values.";
            return null;
        }

        if (variables.ValueKind == JsonValueKind.Object)
        {
            foreach (var given in variables.EnumerateObject())
            {
                if (!_declared.TryGetValue(given.Name, out var declared) && !Referenced.Contains(given.Name))
                {
                    problem = $"variables.{given.Name}: not a variable of prompt '{Version.Name}' version {Version.Version} (it has: {string.Join(", ", Known())}).";
                    return null;
                }

                if (Convert(given.Value, declared?.Type ?? "string", out var value) is { } typeProblem)
                {
                    problem = $"variables.{given.Name}: {typeProblem}";
                    return null;
                }

                values[given.Name] = value;
            }
        }

        foreach (var name in Known())
        {
            if (values.ContainsKey(name))
            {
                continue;
            }

            if (_declared.GetValueOrDefault(name)?.Default is not { } fallback)
            {
                problem = $"variables.{name}: required by prompt '{Version.Name}' version {Version.Version} and not given.";
                return null;
            }

            // A default is stored as text; a boolean's must stay false for a Mustache section to skip.
            values[name] = _declared[name].Type == "boolean" ? fallback.Equals("true", StringComparison.OrdinalIgnoreCase) : fallback;
        }

        return values;
    }

    /// <summary>A text prompt rendered.</summary>
    public string RenderText(IReadOnlyDictionary<string, object?> values) => _text!.Render(values);

    /// <summary>True when a chat prompt has system (or developer) turns: Anthropic takes them apart from the messages.</summary>
    public bool HasSystemTurns => _messages.Any(m => IsSystem(m.Message));

    /// <summary>The system (and developer) turns' text rendered, joined by blank lines; turns whose content is not text are left out.</summary>
    public string RenderSystem(IReadOnlyDictionary<string, object?> values) =>
        string.Join("\n\n", _messages.Where(m => IsSystem(m.Message) && m.Content is not null).Select(m => m.Content!.Render(values)));

    /// <summary>A chat prompt's messages rendered, written as array items (each message as stored, its content rendered).</summary>
    /// <param name="system">null: every turn; false: all but the system turns (see <see cref="RenderSystem"/>).</param>
    public void WriteMessages(Utf8JsonWriter json, IReadOnlyDictionary<string, object?> values, bool? system = null)
    {
        foreach (var (message, content) in _messages)
        {
            if (system == false && IsSystem(message) && content is not null)
            {
                continue;
            }

            if (content is null)
            {
                message.WriteTo(json);
                continue;
            }

            json.WriteStartObject();
            foreach (var property in message.EnumerateObject())
            {
                if (property.NameEquals("content"))
                {
                    json.WriteString("content", content.Render(values));
                }
                else
                {
                    property.WriteTo(json);
                }
            }

            json.WriteEndObject();
        }
    }

    private static bool IsSystem(JsonElement message) =>
        message.GetProperty("role").GetString() is "system" or "developer";

    private static JsonElement ParseSetting(string? json)
    {
        if (json is null)
        {
            return default;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private IEnumerable<string> Known() => Version.Content.Variables.Select(v => v.Name).Concat(Referenced).Distinct(StringComparer.Ordinal);

    private static string? Convert(JsonElement value, string type, out object? converted)
    {
        converted = null;
        switch (type)
        {
            case "number" when value.ValueKind == JsonValueKind.Number:
                converted = value.GetRawText();
                return null;
            case "number" when value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _):
                converted = value.GetString();
                return null;
            case "boolean" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                converted = value.GetBoolean();
                return null;
            case "json":
                converted = value.GetRawText();
                return null;
            case "string" when value.ValueKind == JsonValueKind.String:
                converted = value.GetString();
                return null;
            case "string" when value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                // Langfuse's SDKs stringify what they are given; a number for a string variable is not a mistake.
                converted = value.GetRawText();
                return null;
            default:
                return $"must be {(type == "string" ? "a string" : type == "number" ? "a number" : type == "boolean" ? "true or false" : type)}, not {value.ValueKind.ToString().ToLowerInvariant()}.";
        }
    }
}
