using System.Text.Json;
using Xunit;

namespace Switchyard.Tests.Providers.Sandbox;

/// <summary>A small JSON schema validator for the keywords the sandbox generates against; returns the first violation.</summary>
internal static class SchemaCheck
{
    public static string? Violation(JsonElement value, JsonElement schema) => Check(value, schema, schema, "$");

    private static string? Check(JsonElement value, JsonElement schema, JsonElement root, string path)
    {
        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            JsonElement target = root;
            foreach (string segment in reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target.GetProperty(segment);
            }

            return Check(value, target, root, path);
        }

        if (schema.TryGetProperty("enum", out JsonElement choices))
        {
            return choices.EnumerateArray().Any(c => JsonElement.DeepEquals(c, value)) ? null : $"{path}: not in enum";
        }

        if (schema.TryGetProperty("anyOf", out JsonElement anyOf))
        {
            return anyOf.EnumerateArray().Any(b => Check(value, b, root, path) is null) ? null : $"{path}: matches no anyOf branch";
        }

        string? type = schema.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
        switch (type)
        {
            case "object":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return $"{path}: not an object";
                }

                if (schema.TryGetProperty("required", out JsonElement required))
                {
                    foreach (JsonElement name in required.EnumerateArray())
                    {
                        if (!value.TryGetProperty(name.GetString()!, out _))
                        {
                            return $"{path}: missing {name.GetString()}";
                        }
                    }
                }

                JsonElement properties = schema.TryGetProperty("properties", out JsonElement p) ? p : default;
                foreach (JsonProperty property in value.EnumerateObject())
                {
                    if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(property.Name, out JsonElement propertySchema))
                    {
                        return $"{path}: unexpected property {property.Name}";
                    }

                    if (Check(property.Value, propertySchema, root, path + "." + property.Name) is { } violation)
                    {
                        return violation;
                    }
                }

                return null;
            case "array":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return $"{path}: not an array";
                }

                if (schema.TryGetProperty("minItems", out JsonElement minItems) && value.GetArrayLength() < minItems.GetInt32())
                {
                    return $"{path}: too few items";
                }

                if (schema.TryGetProperty("maxItems", out JsonElement maxItems) && value.GetArrayLength() > maxItems.GetInt32())
                {
                    return $"{path}: too many items";
                }

                int index = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (Check(item, schema.GetProperty("items"), root, $"{path}[{index++}]") is { } violation)
                    {
                        return violation;
                    }
                }

                return null;
            case "string":
                if (value.ValueKind != JsonValueKind.String)
                {
                    return $"{path}: not a string";
                }

                if (schema.TryGetProperty("maxLength", out JsonElement maxLength) && value.GetString()!.Length > maxLength.GetInt32())
                {
                    return $"{path}: too long";
                }

                if (schema.TryGetProperty("format", out JsonElement format) && format.GetString() == "date-time" && !DateTimeOffset.TryParse(value.GetString(), out _))
                {
                    return $"{path}: not a date-time";
                }

                return null;
            case "integer":
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long integer) && InRange(integer, schema) ? null : $"{path}: not an integer in range";
            case "number":
                return value.ValueKind == JsonValueKind.Number && InRange(value.GetDouble(), schema) ? null : $"{path}: not a number in range";
            case "boolean":
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : $"{path}: not a boolean";
            case "null":
                return value.ValueKind == JsonValueKind.Null ? null : $"{path}: not null";
            default:
                return null;
        }
    }

    private static bool InRange(double number, JsonElement schema) =>
        (!schema.TryGetProperty("minimum", out JsonElement min) || number >= min.GetDouble())
        && (!schema.TryGetProperty("maximum", out JsonElement max) || number <= max.GetDouble());
}
