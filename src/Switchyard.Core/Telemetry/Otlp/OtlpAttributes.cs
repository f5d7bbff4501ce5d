using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// Attribute values shared by both readers and the mapper: flattening nested key-value lists,
/// lenient scalar reads, and writing structured values as JSON text.
/// </summary>
internal static class OtlpAttributes
{
    /// <summary>
    /// How deeply AnyValues may nest (arrays in kvlists in arrays...). Real exports nest a few
    /// levels; the cap keeps a hostile body from recursing the stack away.
    /// </summary>
    public const int MaxNesting = 32;

    /// <summary>
    /// Adds <paramref name="value"/> under <paramref name="key"/>; a nested key-value list (already
    /// flattened into a dictionary by the reader) spreads into dotted keys instead.
    /// </summary>
    public static void Add(Dictionary<string, object?> target, string key, object? value)
    {
        if (value is Dictionary<string, object?> nested)
        {
            foreach (var (k, v) in nested)
            {
                target[key + "." + k] = v;
            }

            return;
        }

        target[key] = value;
    }

    public static string? GetString(IReadOnlyDictionary<string, object?> attributes, string key) =>
        attributes.TryGetValue(key, out var value) ? AsString(value) : null;

    /// <summary>A string value as is, a structured or scalar value as JSON text; empty strings count as absent.</summary>
    public static string? AsString(object? value) => value switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => ToJson(value),
    };

    /// <summary>Reads a token count that may arrive as an int, a double or a numeric string.</summary>
    public static long? AsLong(object? value) => value switch
    {
        long l => l,
        double d when double.IsFinite(d) && d >= long.MinValue && d <= long.MaxValue => (long)d,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            && d >= long.MinValue && d <= long.MaxValue => (long)d,
        _ => null,
    };

    public static string ToJson(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case double d:
                // JSON has no NaN or infinities; the OTLP JSON mapping spells them as strings too.
                writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (k, v) in map)
                {
                    writer.WritePropertyName(k);
                    Write(writer, v);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable<object?> items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>
    /// Turns dotted keys back into nested objects for display ("message.role" → {"message":{"role":..}});
    /// a key that clashes with a scalar at the same path is kept flat rather than lost.
    /// </summary>
    public static Dictionary<string, object?> Unflatten(IEnumerable<KeyValuePair<string, object?>> flat)
    {
        var root = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in flat)
        {
            var parts = key.Split('.');
            var node = root;
            var placed = true;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!node.TryGetValue(parts[i], out var child))
                {
                    child = new Dictionary<string, object?>(StringComparer.Ordinal);
                    node[parts[i]] = child;
                }

                if (child is not Dictionary<string, object?> childMap)
                {
                    placed = false;
                    break;
                }

                node = childMap;
            }

            if (placed && !node.ContainsKey(parts[^1]))
            {
                node[parts[^1]] = value;
            }
            else
            {
                root[key] = value;
            }
        }

        return root;
    }
}
