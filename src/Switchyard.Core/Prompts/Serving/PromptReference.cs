using System.Globalization;
using System.Text.Json;
using Switchyard.Gateway;

namespace Switchyard.Prompts.Serving;

/// <summary>
/// A call's reference to a stored prompt: the body's <c>"prompt": {"name", "label" | "version", "variables"}</c>,
/// or the headers <c>x-switchyard-prompt: NAME[@LABEL|@VERSION]</c> and <c>x-switchyard-prompt-variables</c>.
/// With neither, the label is <c>production</c>, as in the Langfuse SDKs.
/// </summary>
internal sealed record PromptReference(string Name, string? Label, int? Version, JsonElement Variables, bool InBody)
{
    public const string Header = "x-switchyard-prompt";
    public const string VariablesHeader = "x-switchyard-prompt-variables";
    public const string DefaultLabel = "production";
    private const int MaxNameLength = 200;

    /// <summary>True when the call names a prompt (well-formed or not): its model then comes from the prompt stage.</summary>
    public static bool Present(CallContext call) =>
        call.Http.Request.Headers.ContainsKey(Header)
        || (call.Request.PromptValue.End.Value > 0 && IsOurs(call.Api, call.Body.Span[call.Request.PromptValue]));

    /// <summary>
    /// The call's reference; null when it has none (a Responses API <c>prompt</c> without <c>name</c> is
    /// OpenAI's own stored prompt and goes upstream untouched). <paramref name="error"/> says what is wrong with a malformed one.
    /// </summary>
    public static PromptReference? Read(CallContext call, out string? error)
    {
        error = null;
        var header = call.Http.Request.Headers[Header];
        var variablesHeader = call.Http.Request.Headers[VariablesHeader];
        var range = call.Request.PromptValue;
        var inBody = range.End.Value > 0 && IsOurs(call.Api, call.Body.Span[range]);
        if (header.Count == 0 && !inBody)
        {
            if (variablesHeader.Count > 0)
            {
                error = $"{VariablesHeader} needs {Header}: NAME[@LABEL|@VERSION].";
            }

            return null;
        }

        if (call.Api is ClientApi.Embeddings)
        {
            error = "Prompts apply to chat completions, responses and messages, not to embeddings.";
            return null;
        }

        if (header.Count > 0 && inBody)
        {
            error = $"The call names a prompt twice: in the body's 'prompt' and in {Header}; use one.";
            return null;
        }

        return inBody ? FromBody(call.Body.Span[range], out error) : FromHeaders(header.ToString(), variablesHeader.ToString(), out error);
    }

    private static bool IsOurs(ClientApi api, ReadOnlySpan<byte> value)
    {
        if (api != ClientApi.Responses)
        {
            return true; // chat completions and messages have no 'prompt' of their own
        }

        var reader = new Utf8JsonReader(value);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                return true;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }

    private static PromptReference? FromBody(ReadOnlySpan<byte> value, out string? error)
    {
        using var document = JsonDocument.Parse(value.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "'prompt' must be an object: {\"name\": ..., \"label\" or \"version\": ..., \"variables\": {...}}.";
            return null;
        }

        string? name = null, label = null;
        int? version = null;
        var variables = default(JsonElement);
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name" when property.Value.ValueKind == JsonValueKind.String:
                    name = property.Value.GetString();
                    break;
                case "label" when property.Value.ValueKind == JsonValueKind.String:
                    label = property.Value.GetString();
                    break;
                case "label" or "version" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "version" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var number) && number > 0:
                    version = number;
                    break;
                case "version" when property.Value.ValueKind == JsonValueKind.String && int.TryParse(property.Value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var text) && text > 0:
                    version = text;
                    break;
                case "variables":
                    variables = property.Value.Clone();
                    break;
                case "name" or "label" or "version":
                    error = $"'prompt.{property.Name}' must be {(property.Name == "version" ? "a positive integer" : "a string")}.";
                    return null;
                default:
                    error = $"'prompt.{property.Name}' is not a field of a prompt reference (name, label, version, variables).";
                    return null;
            }
        }

        return Make(name, label, version, variables, inBody: true, "'prompt.name'", out error);
    }

    private static PromptReference? FromHeaders(string reference, string variablesText, out string? error)
    {
        var at = reference.LastIndexOf('@');
        var name = at < 0 ? reference : reference[..at];
        string? label = null;
        int? version = null;
        if (at >= 0)
        {
            var suffix = reference[(at + 1)..];
            if (int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                version = number;
            }
            else
            {
                label = suffix;
            }
        }

        var variables = default(JsonElement);
        if (variablesText.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(variablesText);
                variables = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                error = $"{VariablesHeader} must be a JSON object of variable names and values (non-ASCII text as \\u escapes).";
                return null;
            }
        }

        return Make(name, label, version, variables, inBody: false, Header, out error);
    }

    private static PromptReference? Make(string? name, string? label, int? version, JsonElement variables, bool inBody, string nameField, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            error = $"{nameField} must name a prompt (NAME, NAME@LABEL or NAME@VERSION).";
            return null;
        }

        if (label is not null && version is not null)
        {
            error = "A prompt reference takes a label or a version, not both.";
            return null;
        }

        if (label is { Length: 0 or > MaxNameLength })
        {
            error = "The prompt label is empty or too long.";
            return null;
        }

        if (variables.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            error = "The prompt's variables must be a JSON object of variable names and values.";
            return null;
        }

        return new PromptReference(name, label ?? (version is null ? DefaultLabel : null), version, variables, inBody);
    }
}
