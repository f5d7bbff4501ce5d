using System.Text.Json;

namespace Switchyard.Dashboard;

/// <summary>
/// Builds the JSON a <c>Chart</c> component hands to dashboard.js: the chart type, the bucket labels,
/// the series, the unit the axis and tooltips show, and for each bucket the link to its traces.
/// </summary>
internal sealed class ChartSpec(string type, string unit, IReadOnlyList<string> labels, IReadOnlyList<string>? links)
{
    private readonly List<(string Label, string Color, double?[] Values, string? Stack)> _series = [];

    public ChartSpec Series(string label, string color, IEnumerable<double?> values, string? stack = null)
    {
        _series.Add((label, color, [.. values], stack));
        return this;
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("unit", unit);
            json.WriteStartArray("labels");
            foreach (var label in labels)
            {
                json.WriteStringValue(label);
            }

            json.WriteEndArray();
            if (links is not null)
            {
                json.WriteStartArray("links");
                foreach (var link in links)
                {
                    json.WriteStringValue(link);
                }

                json.WriteEndArray();
            }

            json.WriteStartArray("datasets");
            foreach (var (label, color, values, stack) in _series)
            {
                json.WriteStartObject();
                json.WriteString("label", label);
                json.WriteString("color", color);
                if (stack is not null)
                {
                    json.WriteString("stack", stack);
                }

                json.WriteStartArray("data");
                foreach (var value in values)
                {
                    if (value is { } v && double.IsFinite(v))
                    {
                        json.WriteNumberValue(Math.Round(v, 6));
                    }
                    else
                    {
                        json.WriteNullValue();
                    }
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
