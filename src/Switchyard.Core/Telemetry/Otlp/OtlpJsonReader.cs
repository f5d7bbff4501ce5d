using System.Globalization;
using System.Text.Json;

namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// Reads an <c>ExportTraceServiceRequest</c> in the OTLP/JSON encoding
/// (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): lowerCamelCase field names,
/// trace and span ids as hex strings (not base64), 64-bit integers as strings or numbers, enums as
/// integers. Unknown fields are ignored.
/// </summary>
internal static class OtlpJsonReader
{
    // Each AnyValue level costs up to four JSON levels (kvlistValue → values → item → value), and the
    // envelope around attributes about eight; the document cap follows from the AnyValue cap.
    private static readonly JsonDocumentOptions s_options = new()
    {
        MaxDepth = (OtlpAttributes.MaxNesting * 4) + 16,
    };

    public static List<OtlpSpan> Read(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray(), s_options);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new OtlpFormatException("ExportTraceServiceRequest: expected a JSON object");
        }

        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Array(root, "resourceSpans"))
        {
            ReadResourceSpans(Object(resourceSpans, "resourceSpans[]"), spans);
        }

        return spans;
    }

    private static void ReadResourceSpans(JsonElement element, List<OtlpSpan> output)
    {
        var first = output.Count;
        var resource = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Property(element, "resource") is { } resourceElement)
        {
            ReadAttributes(Object(resourceElement, "resource"), resource);
        }

        foreach (var scopeSpans in Array(element, "scopeSpans"))
        {
            ReadScopeSpans(Object(scopeSpans, "scopeSpans[]"), output);
        }

        for (var i = first; i < output.Count; i++)
        {
            output[i].ResourceAttributes = resource;
        }
    }

    private static void ReadScopeSpans(JsonElement element, List<OtlpSpan> output)
    {
        string? scopeName = null;
        string? scopeVersion = null;
        if (Property(element, "scope") is { } scope)
        {
            Object(scope, "scope");
            scopeName = String(scope, "name");
            scopeVersion = String(scope, "version");
        }

        foreach (var span in Array(element, "spans"))
        {
            var decoded = ReadSpan(Object(span, "spans[]"));
            decoded.ScopeName = scopeName;
            decoded.ScopeVersion = scopeVersion;
            OtlpTraceDecoder.Validate(decoded);
            output.Add(decoded);
        }
    }

    private static OtlpSpan ReadSpan(JsonElement element)
    {
        var span = new OtlpSpan
        {
            Name = String(element, "name") ?? "",
        };
        span.TraceId = Id(element, "traceId", span.Name);
        span.SpanId = Id(element, "spanId", span.Name);
        span.ParentSpanId = Id(element, "parentSpanId", span.Name);
        span.TraceState = String(element, "traceState");
        span.Kind = Enum(element, "kind", "SPAN_KIND_");
        span.StartUnixNano = UInt64(element, "startTimeUnixNano");
        span.EndUnixNano = UInt64(element, "endTimeUnixNano");
        ReadAttributes(element, span.Attributes);

        foreach (var eventElement in Array(element, "events"))
        {
            Object(eventElement, "events[]");
            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
            ReadAttributes(eventElement, attributes);
            var time = OtlpTime.ToSigned(UInt64(eventElement, "timeUnixNano"), "event timeUnixNano");
            span.Events.Add(new IngestedSpanEvent(String(eventElement, "name") ?? "", time, attributes));
        }

        foreach (var link in Array(element, "links"))
        {
            Object(link, "links[]");
            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
            ReadAttributes(link, attributes);
            span.Links.Add(new IngestedSpanLink(
                Convert.ToHexStringLower(Id(link, "traceId", span.Name)),
                Convert.ToHexStringLower(Id(link, "spanId", span.Name)),
                String(link, "traceState"),
                attributes));
        }

        if (Property(element, "status") is { } status)
        {
            Object(status, "status");
            span.StatusMessage = String(status, "message");
            span.StatusCode = Enum(status, "code", "STATUS_CODE_");
        }

        return span;
    }

    private static void ReadAttributes(JsonElement owner, Dictionary<string, object?> target)
    {
        foreach (var keyValue in Array(owner, "attributes"))
        {
            ReadKeyValue(keyValue, target, 0);
        }
    }

    private static void ReadKeyValue(JsonElement element, Dictionary<string, object?> target, int depth)
    {
        Object(element, "KeyValue");
        var key = String(element, "key") ?? "";
        var value = Property(element, "value") is { } v ? ReadAnyValue(v, depth) : null;
        OtlpAttributes.Add(target, key, value);
    }

    /// <summary>An AnyValue: exactly one of stringValue, boolValue, intValue, doubleValue, arrayValue, kvlistValue, bytesValue.</summary>
    private static object? ReadAnyValue(JsonElement element, int depth)
    {
        if (depth >= OtlpAttributes.MaxNesting)
        {
            throw new OtlpFormatException($"attribute values nest deeper than {OtlpAttributes.MaxNesting} levels");
        }

        Object(element, "AnyValue");
        object? value = null;
        foreach (var property in element.EnumerateObject())
        {
            var v = property.Value;
            if (v.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (property.Name)
            {
                case "stringValue":
                    value = v.ValueKind == JsonValueKind.String ? v.GetString() : throw Invalid("stringValue", "a string");
                    break;
                case "boolValue":
                    value = v.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw Invalid("boolValue", "a boolean"),
                    };
                    break;
                case "intValue":
                    value = Int64(v, "intValue");
                    break;
                case "doubleValue":
                    value = Double(v);
                    break;
                case "bytesValue":
                    value = v.ValueKind == JsonValueKind.String && v.TryGetBytesFromBase64(out var bytes)
                        ? bytes
                        : throw Invalid("bytesValue", "base64");
                    break;
                case "arrayValue":
                    var items = new List<object?>();
                    foreach (var item in Array(Object(v, "arrayValue"), "values"))
                    {
                        items.Add(ReadAnyValue(item, depth + 1));
                    }

                    value = items.ToArray();
                    break;
                case "kvlistValue":
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var item in Array(Object(v, "kvlistValue"), "values"))
                    {
                        ReadKeyValue(item, map, depth + 1);
                    }

                    value = map;
                    break;
            }
        }

        return value;
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement Object(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Invalid(what, "an object");

    private static JsonElement.ArrayEnumerator Array(JsonElement owner, string name)
    {
        if (Property(owner, name) is not { } value)
        {
            return default;
        }

        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw Invalid(name, "an array");
    }

    private static string? String(JsonElement owner, string name)
    {
        if (Property(owner, name) is not { } value)
        {
            return null;
        }

        var s = value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(name, "a string");
        return string.IsNullOrEmpty(s) ? null : s;
    }

    /// <summary>A trace or span id: hex in OTLP/JSON (the one place it departs from the protobuf JSON mapping's base64).</summary>
    private static byte[] Id(JsonElement owner, string name, string spanName)
    {
        var hex = String(owner, name);
        if (hex is null)
        {
            return [];
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new OtlpFormatException($"span '{spanName}': {name} \"{Truncate(hex)}\" is not hex");
        }
    }

    private static ulong UInt64(JsonElement owner, string name)
    {
        if (Property(owner, name) is not { } value)
        {
            return 0;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw Invalid(name, "an unsigned 64-bit integer");
    }

    private static long Int64(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw Invalid(name, "a 64-bit integer");
    }

    private static double Double(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        // The protobuf JSON mapping spells the non-finite values as strings.
        return value.ValueKind == JsonValueKind.String ? value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw Invalid("doubleValue", "a number"),
        } : throw Invalid("doubleValue", "a number");
    }

    /// <summary>An enum: an integer per OTLP/JSON; the protobuf JSON mapping's names are accepted as well.</summary>
    private static int Enum(JsonElement owner, string name, string namePrefix)
    {
        if (Property(owner, name) is not { } value)
        {
            return 0;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0)
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString() ?? "";
            int? known = (namePrefix, text.StartsWith(namePrefix, StringComparison.Ordinal) ? text[namePrefix.Length..] : text) switch
            {
                ("SPAN_KIND_", "UNSPECIFIED") => 0,
                ("SPAN_KIND_", "INTERNAL") => 1,
                ("SPAN_KIND_", "SERVER") => 2,
                ("SPAN_KIND_", "CLIENT") => 3,
                ("SPAN_KIND_", "PRODUCER") => 4,
                ("SPAN_KIND_", "CONSUMER") => 5,
                ("STATUS_CODE_", "UNSET") => 0,
                ("STATUS_CODE_", "OK") => 1,
                ("STATUS_CODE_", "ERROR") => 2,
                _ => null,
            };
            if (known is { } k)
            {
                return k;
            }
        }

        throw Invalid(name, "an enum integer");
    }

    private static OtlpFormatException Invalid(string what, string expected) => new($"{what}: expected {expected}");

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
