using System.CommandLine;
using System.Text.Json;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard cache stats</c> (<c>GET /api/cache</c>) and <c>switchyard cache clear</c>
/// (<c>DELETE /api/cache</c>: everything, or one model group's, key's or team's entries).
/// </summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var command = new Command("cache", "The response caches (exact and semantic): size, and invalidation") { Stats(), Clear() };
        return command;
    }

    private static Command Stats()
    {
        var api = new ApiOptions();
        var format = CliOptions.Format("table", "json");
        var command = api.AddTo(new Command("stats", "Entries, memory and evictions of the cached answers, the semantic index's size and threshold, and per model group which cache is on") { format });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var body = await client.GetAsync("/api/cache", ct).ConfigureAwait(false);
            if (result.GetValue(format) == "json")
            {
                await Console.Out.WriteLineAsync(body).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            using var doc = JsonDocument.Parse(body);
            var table = new TextTable(["entries", "memory bytes", "evictions", "max entries", "max memory bytes", "scope", "semantic entries", "similarity threshold"]).AlignRight(0, 1, 2, 3, 4, 6, 7);
            var r = doc.RootElement;
            table.Add([JsonText.Cell(r, "entries"), JsonText.Cell(r, "memory_bytes"), JsonText.Cell(r, "evictions"), JsonText.Cell(r, "max_entries"), JsonText.Cell(r, "max_memory_bytes"), JsonText.Cell(r, "scope"), JsonText.Cell(r, "semantic_entries"), JsonText.Cell(r, "similarity_threshold")]);
            await table.WriteAsync(Console.Out).ConfigureAwait(false);

            // The semantic cache under load: answers waiting for their vector, answers never indexed
            // because that queue was full, and lookups shed over the latency budget.
            await Console.Out.WriteLineAsync().ConfigureAwait(false);
            var semantic = new TextTable(["semantic index queued", "index skipped (queue full)", "lookups shed (over budget)"]).AlignRight(0, 1, 2);
            semantic.Add([JsonText.Cell(r, "semantic_index_queued"), JsonText.Cell(r, "semantic_index_skipped"), JsonText.Cell(r, "semantic_shed")]);
            await semantic.WriteAsync(Console.Out).ConfigureAwait(false);
            if (r.TryGetProperty("groups", out var groups) && groups.GetArrayLength() > 0)
            {
                await Console.Out.WriteLineAsync().ConfigureAwait(false);
                var perGroup = new TextTable(["model group", "exact", "semantic", "ttl s", "entries", "memory bytes", "max entries", "max memory bytes"]).AlignRight(3, 4, 5, 6, 7);
                foreach (var g in groups.EnumerateArray())
                {
                    perGroup.Add([JsonText.Cell(g, "model_group"), JsonText.Cell(g, "exact"), JsonText.Cell(g, "semantic"), JsonText.Cell(g, "ttl_seconds"), JsonText.Cell(g, "entries"), JsonText.Cell(g, "memory_bytes"), JsonText.Cell(g, "max_entries"), JsonText.Cell(g, "max_memory_bytes")]);
                }

                await perGroup.WriteAsync(Console.Out).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Clear()
    {
        var api = new ApiOptions();
        var model = new Option<string?>("--model") { Description = "Only this model group's entries" };
        var keyId = new Option<string?>("--key-id") { Description = "Only entries stored for this key (key_...)" };
        var team = new Option<string?>("--team") { Description = "Only entries stored for this team (cache.scope: team)" };
        var entry = new Option<string?>("--entry") { Description = "Only this entry (the x-switchyard-cache-key of a response)" };
        var command = api.AddTo(new Command("clear", "Remove cached answers, for exact and semantic hits alike (the semantic index points at the same answers): all, one model group's, key's or team's, or one entry") { model, keyId, team, entry });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var query = new List<string>();
            foreach (var (name, option) in (ReadOnlySpan<(string, Option<string?>)>)[("model_group", model), ("key", keyId), ("team", team), ("entry", entry)])
            {
                if (result.GetValue(option) is { } value)
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }

            var body = await client.SendAsync(HttpMethod.Delete, "/api/cache" + (query.Count == 0 ? "" : "?" + string.Join("&", query)), null, ct).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(body);
            await Console.Out.WriteLineAsync($"removed {doc.RootElement.GetProperty("removed").GetInt32()} entries").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
