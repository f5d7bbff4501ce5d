using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard traces list|show|export</c>: the traces API for scripts and CI. Talks to a running
/// Switchyard (<c>--url</c>, else <c>SWITCHYARD_URL</c>, else http://127.0.0.1:4000) with the admin key (<c>--key</c> or
/// <c>SWITCHYARD_ADMIN_KEY</c>). JSON goes to stdout; messages go to stderr.
/// </summary>
internal static class TracesCommand
{
    /// <summary>Each filter option with what the traces API does with it (Tracing/TraceFilter).</summary>
    private static readonly (string Name, string Description)[] s_filters =
    [
        ("model", "Only calls to this model group"),
        ("deployment", "Only calls served by this deployment"),
        ("key-id", "Only calls made with this key (key_...)"),
        ("team", "Only this team's calls"),
        ("user", "Only this user's calls"),
        ("session", "Only this session's calls"),
        ("tag", "Only calls with this tag"),
        ("metadata", "Only calls whose metadata has key=value"),
        ("status", "An HTTP status code, error or success"),
        ("min-cost", "Only calls that cost at least this many USD"),
        ("min-latency-ms", "Only calls that took at least this many milliseconds"),
        ("q", "Only calls whose captured request or response contains this text"),
        ("from", "Calls from this time on: 2026-11-27T09:00:00Z, or Unix seconds or milliseconds"),
        ("to", "Calls up to this time, same forms as --from"),
    ];

    public static Command Create()
    {
        var api = new ApiOptions();
        var filters = s_filters.Select(f => new Option<string?>("--" + f.Name) { Description = f.Description }).ToArray();
        var limit = new Option<int?>("--limit") { Description = "Rows per page (1-1000)" };
        var cursor = new Option<string?>("--cursor") { Description = "Continue after a previous page" };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        var output = new Option<FileInfo?>("--output") { Description = "Write the export here instead of stdout" };
        var traceId = new Argument<string>("trace-id") { Description = "32 hex characters (x-switchyard-trace-id)" };

        var list = api.AddTo(new Command("list", "List gateway calls, newest first") { limit, cursor, format });
        var export = api.AddTo(new Command("export", "Export calls with their content as JSON Lines") { limit, output });
        foreach (var filter in filters)
        {
            list.Options.Add(filter);
            export.Options.Add(filter);
        }

        var show = api.AddTo(new Command("show", "One trace with its spans and scores, as JSON") { traceId });

        list.SetAction((result, ct) => RunAsync(result, api, $"/api/traces{Query(result, filters, limit, cursor)}", async (body, stdout) =>
        {
            if (result.GetValue(format) == "json")
            {
                await stdout.WriteAsync(body).ConfigureAwait(false);
                await stdout.WriteLineAsync().ConfigureAwait(false);
                return;
            }

            await WriteTableAsync(body, stdout).ConfigureAwait(false);
        }, ct));
        show.SetAction((result, ct) => RunAsync(result, api, $"/api/traces/{Uri.EscapeDataString(result.GetValue(traceId)!)}", async (body, stdout) =>
        {
            await stdout.WriteLineAsync(body).ConfigureAwait(false);
        }, ct));
        export.SetAction((result, ct) => RunAsync(result, api, $"/api/traces/export{Query(result, filters, limit, null)}", async (body, stdout) =>
        {
            if (result.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, body, ct).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"Wrote {body.Count(c => c == '\n')} calls to {file.FullName}").ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteAsync(body).ConfigureAwait(false);
            }
        }, ct));

        return new Command("traces", "Query recorded calls and traces") { list, show, export };
    }

    private static Task<int> RunAsync(ParseResult result, ApiOptions api, string path, Func<string, TextWriter, Task> print, CancellationToken cancellationToken) =>
        ApiClient.RunAsync(result, api, async client =>
        {
            var body = await client.GetAsync(path, cancellationToken).ConfigureAwait(false);
            await print(body, Console.Out).ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellationToken);

    private static string Query(ParseResult result, Option<string?>[] filters, Option<int?> limit, Option<string?>? cursor)
    {
        var parts = new List<string>();
        foreach (var filter in filters)
        {
            if (result.GetValue(filter) is { } value)
            {
                var name = filter.Name.TrimStart('-') switch
                {
                    "key-id" => "key",
                    "min-cost" => "min_cost",
                    "min-latency-ms" => "min_latency_ms",
                    var other => other,
                };
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        if (result.GetValue(limit) is { } n)
        {
            parts.Add($"limit={n}");
        }

        if (cursor is not null && result.GetValue(cursor) is { } c)
        {
            parts.Add($"cursor={Uri.EscapeDataString(c)}");
        }

        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    private static async Task WriteTableAsync(string body, TextWriter stdout)
    {
        using var doc = JsonDocument.Parse(body);
        await stdout.WriteLineAsync($"{"time (UTC)",-23} {"trace id",-32} {"model",-20} {"status",6} {"in",7} {"out",7} {"cost USD",12} {"latency ms",10} {"ttft ms",8}").ConfigureAwait(false);
        foreach (var call in doc.RootElement.GetProperty("data").EnumerateArray())
        {
            var usage = call.GetProperty("usage");
            string Text(string name) => call.GetProperty(name).ValueKind == JsonValueKind.Null ? "-" : call.GetProperty(name).ToString();
            var cost = call.GetProperty("cost_usd").ValueKind == JsonValueKind.Null ? "unknown" : decimal.Parse(call.GetProperty("cost_usd").GetString()!, CultureInfo.InvariantCulture).ToString("0.######", CultureInfo.InvariantCulture);
            await stdout.WriteLineAsync($"{call.GetProperty("start_time").GetString()![..23],-23} {call.GetProperty("trace_id").GetString(),-32} {Text("model"),-20} {call.GetProperty("status").GetInt32(),6} {usage.GetProperty("input_tokens").GetInt64(),7} {usage.GetProperty("output_tokens").GetInt64(),7} {cost,12} {Text("latency_ms"),10} {Text("ttft_ms"),8}").ConfigureAwait(false);
        }

        if (doc.RootElement.GetProperty("next_cursor").GetString() is { } next)
        {
            await Console.Error.WriteLineAsync($"More: --cursor {next}").ConfigureAwait(false);
        }
    }
}
