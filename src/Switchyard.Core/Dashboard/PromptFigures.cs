using System.Globalization;
using System.Text.Json;

namespace Switchyard.Dashboard;

/// <summary>A prompt's (or one version's) production figures, formatted for the prompt pages, from <c>/api/metrics/summary?group_by=...</c>.</summary>
internal sealed record PromptFigures(string Calls, string ErrorRate, string Latency, string CostPerCall, string Feedback)
{
    public static readonly PromptFigures None = new("0", "–", "–", "–", "–");

    public static PromptFigures Of(Dictionary<string, PromptFigures> figures, string key) => figures.GetValueOrDefault(key) ?? None;

    public static Dictionary<string, PromptFigures> Read(JsonElement summary, string groupBy)
    {
        var figures = new Dictionary<string, PromptFigures>(StringComparer.Ordinal);
        foreach (var g in summary.GetProperty("groups").EnumerateArray())
        {
            if (g.GetProperty(groupBy).GetString() is not { } key)
            {
                continue;
            }

            var requests = g.GetProperty("requests").GetInt64();
            var latency = g.GetProperty("latency_ms");
            var cost = decimal.Parse(g.GetProperty("cost_usd").GetString()!, CultureInfo.InvariantCulture);
            var feedback = g.TryGetProperty("feedback", out var f) && f.GetProperty("count").GetInt64() is var count and > 0
                ? $"{100.0 * f.GetProperty("positive").GetInt64() / count:0.#} % of {count}"
                : "–";
            figures[key] = new PromptFigures(
                requests.ToString("N0", CultureInfo.InvariantCulture),
                (g.GetProperty("error_rate").GetDouble() * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %",
                latency.TryGetProperty("p50", out var p50) ? $"{p50.GetDouble():0.#} / {latency.GetProperty("p95").GetDouble():0.#} ms" : "–",
                requests == 0 ? "–" : "$" + (cost / requests).ToString("0.000000", CultureInfo.InvariantCulture),
                feedback);
        }

        return figures;
    }
}
