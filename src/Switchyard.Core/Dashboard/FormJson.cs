using System.Globalization;
using System.Text.Json;

namespace Switchyard.Dashboard;

/// <summary>
/// Turns the dashboard's form fields into the same JSON bodies the <c>/api</c> endpoints take, so a form
/// is validated by the API's own rules and says what they say.
/// </summary>
internal static class FormJson
{
    /// <summary>A JSON object written by <paramref name="write"/>, as UTF-8.</summary>
    public static byte[] Object(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The same, parsed, for code that reads back what a store wrote.</summary>
    public static JsonDocument Document(Action<Utf8JsonWriter> write) => JsonDocument.Parse(Object(write));

    /// <summary>Comma-separated values, trimmed, empties dropped.</summary>
    public static string[] List(string? text) => (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>The trimmed text, or nothing when the field is empty.</summary>
    public static void TextIfAny(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            json.WriteString(name, value.Trim());
        }
    }

    /// <summary>A number when the field reads as one, else the text, so the API's validation names the problem; nothing when empty.</summary>
    public static void NumberIfAny(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            Number(json, name, value);
        }
    }

    /// <summary>As <see cref="NumberIfAny"/>, but an empty field clears the value (JSON null in a merge patch).</summary>
    public static void NumberOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            json.WriteNull(name);
        }
        else
        {
            Number(json, name, value);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, string value)
    {
        if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteString(name, value.Trim());
        }
    }
}
