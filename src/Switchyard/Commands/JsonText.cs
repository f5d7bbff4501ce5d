using System.Text;
using System.Text.Json;

namespace Switchyard.Cli.Commands;

/// <summary>Turning API answers into text: single objects indented for reading, fields as table cells.</summary>
internal static class JsonText
{
    /// <summary>A field as a table cell: "-" when missing or null, strings without quotes, arrays comma-separated.</summary>
    public static string Cell(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return "-";
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "-",
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Array => value.GetArrayLength() == 0 ? "-" : string.Join(",", value.EnumerateArray().Select(v => v.ToString())),
            _ => value.GetRawText(),
        };
    }

    public static string Indented(string body)
    {
        using var doc = JsonDocument.Parse(body);
        using var stream = new MemoryStream();
        // Text for a terminal, not HTML: keep the hint's '…' and non-Latin names readable instead of \uXXXX.
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            doc.WriteTo(json);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary><c>rpm=60 tpm=100000 concurrent=8</c> from a subject's <c>limits</c>, or "-".</summary>
    public static string Limits(JsonElement subject)
    {
        if (!subject.TryGetProperty("limits", out var limits) || limits.ValueKind != JsonValueKind.Object)
        {
            return "-";
        }

        var parts = new List<string>();
        foreach (var (field, label) in (ReadOnlySpan<(string, string)>)[("rpm", "rpm"), ("tpm", "tpm"), ("max_concurrent", "concurrent")])
        {
            if (limits.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                parts.Add($"{label}={value.GetRawText()}");
            }
        }

        return parts.Count == 0 ? "-" : string.Join(" ", parts);
    }

    /// <summary><c>1.25/25 monthly</c> (spent/max USD in the current window, "soft" when it only alerts), or "-".</summary>
    public static string Budget(JsonElement subject)
    {
        if (!subject.TryGetProperty("budget", out var budget) || budget.ValueKind != JsonValueKind.Object)
        {
            return "-";
        }

        var spent = subject.TryGetProperty("spend", out var spend) && spend.ValueKind == JsonValueKind.Object ? Cell(spend, "spent_usd") : "?";
        var soft = Cell(budget, "mode") == "soft" ? " soft" : "";
        return $"{spent}/{Cell(budget, "max_usd")} {Cell(budget, "window")}{soft}";
    }
}
