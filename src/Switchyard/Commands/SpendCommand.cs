using System.CommandLine;
using System.Text.Json;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard spend</c>: requests, tokens and cost from the spend ledger (<c>GET /api/spend</c>),
/// grouped by key, user, team, model and day. The key filter is <c>--key-id</c>, as in
/// <c>traces</c>, because <c>--key</c> is the admin key.
/// </summary>
internal static class SpendCommand
{
    private static readonly string[] s_dimensions = ["key", "user", "team", "model", "day"];

    public static Command Create()
    {
        var api = new ApiOptions();
        var groupBy = CliOptions.List("--group-by", "Dimensions: key, user, team, model, day; comma-separate (default: one total)", s_dimensions);
        var from = CliOptions.Day("--from", "First day, 2026-11-01 (days are in limits.budget_time_zone)");
        var to = CliOptions.Day("--to", "Last day, included");
        var keyId = new Option<string?>("--key-id") { Description = "Only this key's calls (key_...)" };
        var user = new Option<string?>("--user") { Description = "Only this user's calls" };
        var team = new Option<string?>("--team") { Description = "Only this team's calls" };
        var model = new Option<string?>("--model") { Description = "Only this model group's calls" };
        var format = CliOptions.Format("table", "json");
        var command = api.AddTo(new Command("spend", "Spend by key, user, team, model and day") { groupBy, from, to, keyId, user, team, model, format });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var dimensions = CliOptions.Values(result, groupBy).Select(d => d.ToLowerInvariant()).Distinct().ToArray();
            var query = new List<string>();
            if (dimensions.Length > 0)
            {
                query.Add("group_by=" + string.Join(",", dimensions));
            }

            foreach (var (name, option) in (ReadOnlySpan<(string, Option<string?>)>)[("from", from), ("to", to), ("key", keyId), ("user", user), ("team", team), ("model", model)])
            {
                if (result.GetValue(option) is { } value)
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }

            var body = await client.GetAsync("/api/spend" + (query.Count == 0 ? "" : "?" + string.Join("&", query)), ct).ConfigureAwait(false);
            if (result.GetValue(format) == "json")
            {
                await Console.Out.WriteLineAsync(body).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await WriteTableAsync(body).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static async Task WriteTableAsync(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var dimensions = doc.RootElement.GetProperty("group_by").EnumerateArray().Select(d => d.GetString()!).ToArray();
        string[] totals = ["requests", "input tokens", "output tokens", "cost USD"];
        var labels = dimensions.Length == 0 ? [""] : dimensions; // a column for the word "total"
        var table = new TextTable([.. labels, .. totals]).AlignRight(Enumerable.Range(labels.Length, totals.Length).ToArray());
        string[] Numbers(JsonElement row) => [JsonText.Cell(row, "requests"), JsonText.Cell(row, "input_tokens"), JsonText.Cell(row, "output_tokens"), JsonText.Cell(row, "cost_usd")];

        // Without dimensions the one data row is the total: print it once.
        if (dimensions.Length > 0)
        {
            foreach (var row in doc.RootElement.GetProperty("data").EnumerateArray())
            {
                table.Add([.. dimensions.Select(d => JsonText.Cell(row, d)), .. Numbers(row)]);
            }
        }

        var total = doc.RootElement.GetProperty("total");
        table.Add([.. labels.Select((_, i) => i == 0 ? "total" : ""), .. Numbers(total)]);
        await table.WriteAsync(Console.Out).ConfigureAwait(false);
    }
}
