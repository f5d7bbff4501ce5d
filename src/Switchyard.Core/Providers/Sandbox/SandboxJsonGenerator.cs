using System.Globalization;
using System.Text.Json;

namespace Switchyard.Providers.Sandbox;

/// <summary>
/// Writes a value valid against a JSON schema, for tool arguments and structured outputs. Covers what
/// function and structured-output schemas use: type (or a list of types), enum, const, properties and
/// required, items with minItems/maxItems/uniqueItems, numeric and length bounds, common string formats,
/// anyOf/oneOf/allOf (the first branch of allOf) and local <c>$ref</c>. Unknown keywords are ignored.
/// Never throws on an odd schema: what it cannot read it treats as "any string".
/// </summary>
internal sealed class SandboxJsonGenerator
{
    // Deeper than this, recursive schemas get the smallest value, so a self-referencing $ref ends.
    private const int MaxDepth = 8;

    private readonly SandboxRandom _random;
    private readonly JsonElement _root;

    private SandboxJsonGenerator(SandboxRandom random, JsonElement root)
    {
        _random = random;
        _root = root;
    }

    public static string Generate(JsonElement schema, SandboxRandom random) =>
        SandboxJson.WriteString(writer => new SandboxJsonGenerator(random, schema).WriteValue(writer, schema, 0));

    private void WriteValue(Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        schema = Resolve(schema, 0);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            writer.WriteStringValue(SandboxTextGenerator.Phrase(_random, 2));
            return;
        }

        if (schema.TryGetProperty("const", out JsonElement constant))
        {
            constant.WriteTo(writer);
            return;
        }

        if (schema.TryGetProperty("enum", out JsonElement choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            choices[_random.Next(choices.GetArrayLength())].WriteTo(writer);
            return;
        }

        foreach (string combinator in (string[])["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(combinator, out JsonElement branches) && branches.ValueKind == JsonValueKind.Array && branches.GetArrayLength() > 0)
            {
                WriteValue(writer, PickBranch(branches), depth);
                return;
            }
        }

        if (schema.TryGetProperty("allOf", out JsonElement all) && all.ValueKind == JsonValueKind.Array && all.GetArrayLength() > 0
            && !schema.TryGetProperty("type", out _) && !schema.TryGetProperty("properties", out _))
        {
            WriteValue(writer, all[0], depth);
            return;
        }

        switch (TypeOf(schema))
        {
            case "object":
                WriteObject(writer, schema, depth);
                break;
            case "array":
                WriteArray(writer, schema, depth);
                break;
            case "integer":
                writer.WriteNumberValue(Integer(schema));
                break;
            case "number":
                writer.WriteNumberValue(Number(schema));
                break;
            case "boolean":
                writer.WriteBooleanValue(_random.NextBool());
                break;
            case "null":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(String(schema));
                break;
        }
    }

    private void WriteObject(Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        writer.WriteStartObject();
        if (depth < MaxDepth && schema.TryGetProperty("properties", out JsonElement properties) && properties.ValueKind == JsonValueKind.Object)
        {
            HashSet<string> required = new(StringComparer.Ordinal);
            if (schema.TryGetProperty("required", out JsonElement names) && names.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement name in names.EnumerateArray())
                {
                    if (name.ValueKind == JsonValueKind.String)
                    {
                        required.Add(name.GetString()!);
                    }
                }
            }

            foreach (JsonProperty property in properties.EnumerateObject())
            {
                // Optional properties appear about half the time, as a model fills them.
                if (required.Contains(property.Name) || _random.NextBool())
                {
                    writer.WritePropertyName(property.Name);
                    WriteValue(writer, property.Value, depth + 1);
                }
            }
        }

        writer.WriteEndObject();
    }

    private void WriteArray(Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        int min = (int)Math.Clamp(ReadNumber(schema, "minItems") ?? 1, 0, 64);
        int max = (int)Math.Clamp(ReadNumber(schema, "maxItems") ?? Math.Max(min, 3), min, 64);
        int count = depth >= MaxDepth ? 0 : (int)_random.NextInclusive(min, max);
        JsonElement items = schema.TryGetProperty("items", out JsonElement itemSchema) ? itemSchema : default;
        bool unique = schema.TryGetProperty("uniqueItems", out JsonElement u) && u.ValueKind == JsonValueKind.True;

        writer.WriteStartArray();
        HashSet<string> seen = new(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            // Each item is drafted apart so duplicates can be redrawn when items must be unique.
            string item = "";
            for (int attempt = 0; attempt < 8; attempt++)
            {
                item = SandboxJson.WriteString(w => WriteValue(w, items, depth + 1));
                if (!unique || seen.Add(item))
                {
                    break;
                }
            }

            writer.WriteRawValue(item, skipInputValidation: true);
        }

        writer.WriteEndArray();
    }

    private long Integer(JsonElement schema)
    {
        double? minimum = ReadNumber(schema, "minimum");
        double? maximum = ReadNumber(schema, "maximum");
        if (ReadNumber(schema, "exclusiveMinimum") is { } exclusiveMin)
        {
            minimum = Math.Max(minimum ?? double.MinValue, Math.Floor(exclusiveMin) + 1);
        }

        if (ReadNumber(schema, "exclusiveMaximum") is { } exclusiveMax)
        {
            maximum = Math.Min(maximum ?? double.MaxValue, Math.Ceiling(exclusiveMax) - 1);
        }

        long low = minimum is { } lo ? (long)Math.Clamp(Math.Ceiling(lo), -1e15, 1e15) : 0;
        long high = maximum is { } hi ? (long)Math.Clamp(Math.Floor(hi), -1e15, 1e15) : low + 100;
        if (minimum is null && maximum is not null)
        {
            low = high - 100;
        }

        return _random.NextInclusive(low, Math.Max(low, high));
    }

    private double Number(JsonElement schema)
    {
        double low = ReadNumber(schema, "minimum") ?? ReadNumber(schema, "exclusiveMinimum") ?? double.NaN;
        double high = ReadNumber(schema, "maximum") ?? ReadNumber(schema, "exclusiveMaximum") ?? double.NaN;
        if (double.IsNaN(low))
        {
            low = double.IsNaN(high) ? 0 : high - 100;
        }

        if (double.IsNaN(high))
        {
            high = low + 100;
        }

        // Two decimals read like a model's numbers; fall back to the midpoint when rounding leaves a tight range.
        double value = Math.Round(low + (_random.NextDouble() * (high - low)), 2);
        return value > low && value < high ? value : low + ((high - low) / 2);
    }

    private string String(JsonElement schema)
    {
        string format = schema.TryGetProperty("format", out JsonElement f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
        DateTimeOffset moment = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(_random.Next(63_072_000));
        string value = format switch
        {
            "date-time" => moment.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            "date" => moment.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "time" => moment.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            "email" => SandboxTextGenerator.Noun(_random) + "@example.com",
            "uri" or "url" => "https://example.com/" + SandboxTextGenerator.Noun(_random),
            "uuid" => Uuid(),
            _ => SandboxTextGenerator.Phrase(_random, 1 + _random.Next(4)),
        };

        int minLength = (int)Math.Clamp(ReadNumber(schema, "minLength") ?? 0, 0, 4096);
        int maxLength = (int)Math.Clamp(ReadNumber(schema, "maxLength") ?? int.MaxValue, minLength, int.MaxValue);
        while (value.Length < minLength)
        {
            value += " " + SandboxTextGenerator.Noun(_random);
        }

        return value.Length > maxLength ? value[..maxLength] : value;
    }

    private string Uuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, _random.NextUInt64());
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], _random.NextUInt64());
        return new Guid(bytes).ToString();
    }

    private JsonElement PickBranch(JsonElement branches)
    {
        // Prefer a branch that is not just null, so optional-by-union fields carry a value.
        List<JsonElement> candidates = [];
        foreach (JsonElement branch in branches.EnumerateArray())
        {
            if (TypeOf(Resolve(branch, 0)) != "null")
            {
                candidates.Add(branch);
            }
        }

        return candidates.Count > 0 ? _random.Pick(candidates) : branches[0];
    }

    private JsonElement Resolve(JsonElement schema, int hops)
    {
        if (hops > 16 || schema.ValueKind != JsonValueKind.Object
            || !schema.TryGetProperty("$ref", out JsonElement reference) || reference.ValueKind != JsonValueKind.String)
        {
            return schema;
        }

        string pointer = reference.GetString()!;
        if (!pointer.StartsWith('#'))
        {
            return schema;
        }

        JsonElement target = _root;
        foreach (string segment in pointer[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(name, out target))
            {
                return default;
            }
        }

        return Resolve(target, hops + 1);
    }

    private static string TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "string";
        }

        if (schema.TryGetProperty("type", out JsonElement type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                return type.GetString()!;
            }

            if (type.ValueKind == JsonValueKind.Array)
            {
                string? first = null;
                foreach (JsonElement t in type.EnumerateArray())
                {
                    if (t.ValueKind == JsonValueKind.String)
                    {
                        first ??= t.GetString();
                        if (t.GetString() != "null")
                        {
                            return t.GetString()!;
                        }
                    }
                }

                return first ?? "string";
            }
        }

        if (schema.TryGetProperty("properties", out _))
        {
            return "object";
        }

        return schema.TryGetProperty("items", out _) ? "array" : "string";
    }

    private static double? ReadNumber(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number)
            ? number
            : null;
}
