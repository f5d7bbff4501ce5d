using System.Globalization;
using System.Text.Json;

namespace Switchyard.Spend;

/// <summary>The answer to a <see cref="SpendQuery"/>, and how <c>/api/spend</c> writes it.</summary>
internal sealed record SpendReport(IReadOnlyList<string> GroupBy, IReadOnlyList<SpendReportRow> Rows, SpendFigures Total, bool Truncated)
{
    /// <summary>Most rows a report returns; <see cref="Truncated"/> says when there were more.</summary>
    public const int MaxRows = 10_000;

    public static string Usd(long nano) => (nano / 1_000_000_000m).ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes <c>{"group_by":[…],"data":[{…dimensions, requests, input_tokens, output_tokens, cost_usd}],"total":{…},"truncated":false}</c>.</summary>
    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("group_by");
        foreach (var d in GroupBy)
        {
            json.WriteStringValue(d);
        }

        json.WriteEndArray();
        json.WriteStartArray("data");
        foreach (var row in Rows)
        {
            json.WriteStartObject();
            for (var i = 0; i < GroupBy.Count; i++)
            {
                if (row.Dimensions[i] is { } value)
                {
                    json.WriteString(GroupBy[i], value);
                }
                else
                {
                    json.WriteNull(GroupBy[i]); // No key, user or team (anonymous or admin calls).
                }
            }

            WriteFigures(json, row.Figures);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("total");
        WriteFigures(json, Total);
        json.WriteEndObject();
        json.WriteBoolean("truncated", Truncated);
        json.WriteEndObject();
    }

    private static void WriteFigures(Utf8JsonWriter json, SpendFigures figures)
    {
        json.WriteNumber("requests", figures.Requests);
        json.WriteNumber("input_tokens", figures.InputTokens);
        json.WriteNumber("output_tokens", figures.OutputTokens);
        json.WriteString("cost_usd", Usd(figures.CostNanoUsd));
    }
}
