using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Reading and writing helpers shared by the translators. Readers validate the JSON kind and throw
/// <see cref="TranslationException"/> with the offending path, so callers get a precise 400.
/// </summary>
internal static class WireJson
{
    /// <summary>
    /// Relaxed escaping: bodies go over HTTP as JSON, never into HTML, so non-ASCII text and characters
    /// like &lt; stay readable and compact instead of becoming \uXXXX escapes.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 128 };

    /// <summary>Parses exactly one JSON value; trailing non-whitespace is an error.</summary>
    /// <exception cref="JsonException">The bytes are not one well-formed JSON value.</exception>
    public static JsonDocument Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, s_readerOptions);
        var document = JsonDocument.ParseValue(ref reader);
        try
        {
            if (reader.Read())
            {
                throw new JsonException("Unexpected data after the JSON value.");
            }
        }
        catch
        {
            document.Dispose();
            throw;
        }

        return document;
    }

    /// <summary>The property's value, or null when it is absent or JSON null.</summary>
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static void RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new TranslationException($"'{path}' must be an object.");
        }
    }

    public static JsonElement? GetObject(JsonElement obj, string name, string path)
    {
        var value = Get(obj, name);
        if (value is { } v && v.ValueKind != JsonValueKind.Object)
        {
            throw new TranslationException($"'{path}' must be an object.");
        }

        return value;
    }

    public static JsonElement RequireObject(JsonElement obj, string name, string path) =>
        GetObject(obj, name, path) ?? throw new TranslationException($"'{path}' is required.");

    public static JsonElement? GetArray(JsonElement obj, string name, string path)
    {
        var value = Get(obj, name);
        if (value is { } v && v.ValueKind != JsonValueKind.Array)
        {
            throw new TranslationException($"'{path}' must be an array.");
        }

        return value;
    }

    public static string? GetString(JsonElement obj, string name, string path)
    {
        var value = Get(obj, name);
        if (value is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new TranslationException($"'{path}' must be a string.");
    }

    public static string RequireString(JsonElement obj, string name, string path) =>
        GetString(obj, name, path) ?? throw new TranslationException($"'{path}' is required.");

    public static bool? GetBool(JsonElement obj, string name, string path)
    {
        var value = Get(obj, name);
        return value switch
        {
            null => null,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw new TranslationException($"'{path}' must be a boolean."),
        };
    }

    public static long? GetInteger(JsonElement obj, string name, string path)
    {
        var value = Get(obj, name);
        if (value is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var number)
            ? number
            : throw new TranslationException($"'{path}' must be an integer.");
    }

    /// <summary>Copies a numeric property unchanged (keeping its exact text), validating that it is a number.</summary>
    public static void CopyNumber(JsonElement obj, string name, string path, Utf8JsonWriter writer, string outputName)
    {
        if (Get(obj, name) is not { } value)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new TranslationException($"'{path}' must be a number.");
        }

        writer.WritePropertyName(outputName);
        value.WriteTo(writer);
    }

    /// <summary>A string property of upstream output, or null; never throws, because upstream bodies are read leniently.</summary>
    public static string? StringOrNull(JsonElement obj, string name) =>
        Get(obj, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>A token count of upstream output; 0 when absent or not an integer.</summary>
    public static long Count(JsonElement obj, string name) =>
        Get(obj, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : 0;

    /// <summary>Whether a token count is present, so a later usage report can overwrite an earlier one only where it says something.</summary>
    public static bool TryCount(JsonElement obj, string name, out long count)
    {
        if (Get(obj, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out count))
        {
            return true;
        }

        count = 0;
        return false;
    }

    /// <summary>
    /// Writes a tool's JSON schema, or an empty object schema when it has none: OpenAI allows a
    /// function without parameters, Anthropic requires a schema, and both accept the empty one.
    /// </summary>
    public static void WriteSchema(Utf8JsonWriter writer, JsonElement? schema)
    {
        if (schema is { } value)
        {
            value.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", "object");
        writer.WriteStartObject("properties");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
