using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchyard.Providers.Sandbox;

/// <summary>Typed reads of request fields that report a wrong type as a 400, as OpenAI does, instead of throwing.</summary>
internal static class SandboxJson
{
    /// <summary>Relaxed escaping so nested JSON strings (tool arguments) read <c>\"</c> as OpenAI writes them, not <c>\u0022</c>.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The field, or null when it is absent or JSON <c>null</c>.</summary>
    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static string? OptionalString(JsonElement obj, string name, string param)
    {
        JsonElement? value = Optional(obj, name);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(param, "a string");
        }

        return value.Value.GetString();
    }

    public static bool? OptionalBool(JsonElement obj, string name, string param)
    {
        JsonElement? value = Optional(obj, name);
        return value?.ValueKind switch
        {
            null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(param, "a boolean"),
        };
    }

    public static int? OptionalInt(JsonElement obj, string name, string param, int min, int max)
    {
        JsonElement? value = Optional(obj, name);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt32(out int number))
        {
            throw WrongType(param, "an integer");
        }

        if (number < min || number > max)
        {
            throw new SandboxRequestException($"Invalid '{param}': integer out of range; expected between {min} and {max}, got {number}.", param);
        }

        return number;
    }

    public static JsonElement? OptionalOfKind(JsonElement obj, string name, string param, JsonValueKind kind)
    {
        JsonElement? value = Optional(obj, name);
        if (value is not null && value.Value.ValueKind != kind)
        {
            throw WrongType(param, kind == JsonValueKind.Array ? "an array" : "an object");
        }

        return value;
    }

    public static SandboxRequestException WrongType(string param, string expected) =>
        new($"Invalid type for '{param}': expected {expected}.", param);

    public static SandboxRequestException Missing(string param) =>
        new($"Missing required parameter: '{param}'.", param);

    /// <summary>The text of a message <c>content</c>: a string, or the <c>text</c> of each part of an array.</summary>
    public static IEnumerable<string> ContentTexts(JsonElement content, string param)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                yield return content.GetString()!;
                break;
            case JsonValueKind.Null:
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        yield return part.GetString()!;
                    }
                    else if (part.ValueKind != JsonValueKind.Object)
                    {
                        throw WrongType($"{param}[{index}]", "an object");
                    }
                    else if (OptionalString(part, "text", $"{param}[{index}].text") is { } text)
                    {
                        yield return text;
                    }

                    index++;
                }

                break;
            default:
                throw WrongType(param, "a string or an array of content parts");
        }
    }

    /// <summary>Writes one JSON document with <see cref="WriterOptions"/> and returns it as UTF-8.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        ArrayBufferWriter<byte> buffer = new(1024);
        using (Utf8JsonWriter writer = new(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>As <see cref="Write"/>, returned as a string (generated arguments and JSON answers).</summary>
    public static string WriteString(Action<Utf8JsonWriter> write) => System.Text.Encoding.UTF8.GetString(Write(write));
}
