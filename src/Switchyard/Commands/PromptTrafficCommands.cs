using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard prompts rollout | rollouts | experiment start|show|stop|decide</c>: canary rollouts and
/// A/B experiments on a prompt label, over <c>/api/prompts/{name}/rollouts|experiments</c>.
/// </summary>
internal static class PromptTrafficCommands
{
    public static Command Rollout(ApiOptions api)
    {
        var name = new Argument<string>("NAME");
        var version = new Option<int>("--version") { Description = "The new version", Required = true };
        var label = new Option<string>("--label") { Description = "The label to move (default: production)", DefaultValueFactory = _ => "production" };
        var steps = new Option<string>("--steps") { Description = "The canary's share per step, in percent", DefaultValueFactory = _ => "5,50,100" };
        var minCalls = new Option<int>("--min-calls") { Description = "Canary calls a step needs before it is judged", DefaultValueFactory = _ => 200 };
        var interval = new Option<string>("--interval") { Description = "The least time a step lasts (30m, 2h...)", DefaultValueFactory = _ => "30m" };
        var command = api.AddTo(new Command("rollout", "Roll a version out as a canary on a label; a failing gate rolls it back") { name, version, label, steps, minCalls, interval });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var percents = new JsonArray();
            foreach (var step in result.GetValue(steps)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
                {
                    await Console.Error.WriteLineAsync($"--steps: '{step}' is not a whole percentage.").ConfigureAwait(false);
                    return ExitCodes.InvalidConfiguration;
                }

                percents.Add(percent);
            }

            var body = new JsonObject
            {
                ["version"] = result.GetValue(version),
                ["label"] = result.GetValue(label),
                ["steps"] = percents,
                ["min_calls"] = result.GetValue(minCalls),
                ["interval"] = result.GetValue(interval),
            };
            var answer = await client.SendAsync(HttpMethod.Post, $"/api/prompts/{Uri.EscapeDataString(result.GetValue(name)!)}/rollouts", body, ct).ConfigureAwait(false);
            using var document = JsonDocument.Parse(answer);
            var r = document.RootElement;
            await Console.Out.WriteLineAsync(r.GetProperty("id").GetString()).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"Rolling {result.GetValue(name)} version {r.GetProperty("to_version").GetInt32()} out on '{r.GetProperty("label").GetString()}' (now on {r.GetProperty("from_version").GetInt32()}): {r.GetProperty("percent").GetInt32()} % first.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    public static Command Rollouts(ApiOptions api)
    {
        var name = new Argument<string>("NAME");
        var command = api.AddTo(new Command("rollouts", "A prompt's rollouts, newest first: status, step, and why one failed") { name });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var answer = await client.GetAsync($"/api/prompts/{Uri.EscapeDataString(result.GetValue(name)!)}/rollouts", ct).ConfigureAwait(false);
            using var document = JsonDocument.Parse(answer);
            var table = new TextTable(["id", "label", "from", "to", "status", "percent", "failure"]).AlignRight(2).AlignRight(3).AlignRight(5);
            foreach (var r in document.RootElement.GetProperty("data").EnumerateArray())
            {
                table.Add([JsonText.Cell(r, "id"), JsonText.Cell(r, "label"), JsonText.Cell(r, "from_version"), JsonText.Cell(r, "to_version"), JsonText.Cell(r, "status"), JsonText.Cell(r, "percent"), JsonText.Cell(r, "failure")]);
            }

            await table.WriteAsync(Console.Out).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    public static Command Experiment(ApiOptions api) => new("experiment", "A/B experiments on a prompt label") { Start(api), Show(api), End(api, "stop"), Decide(api) };

    private static Command Start(ApiOptions api)
    {
        var name = new Argument<string>("NAME");
        var variants = new Option<string[]>("--variant") { Description = "NAME=VERSION:WEIGHT, one per variant; the first is the control", Required = true, AllowMultipleArgumentsPerToken = false };
        var label = new Option<string>("--label") { Description = "The label whose traffic is split (default: production)", DefaultValueFactory = _ => "production" };
        var unit = new Option<string>("--unit") { Description = "What assignment sticks to: user, session or key", DefaultValueFactory = _ => "user" };
        var minSample = new Option<int>("--min-sample") { Description = "Calls per variant before a verdict", DefaultValueFactory = _ => 200 };
        var command = api.AddTo(new Command("start", "Split a label's traffic between versions by weight") { name, variants, label, unit, minSample });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var list = new JsonArray();
            foreach (var variant in result.GetValue(variants)!)
            {
                var eq = variant.IndexOf('=', StringComparison.Ordinal);
                var colon = variant.LastIndexOf(':');
                if (eq <= 0 || colon < eq || !int.TryParse(variant[(eq + 1)..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var version) || !int.TryParse(variant[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
                {
                    await Console.Error.WriteLineAsync($"--variant: '{variant}' is not NAME=VERSION:WEIGHT (for example v2=2:50).").ConfigureAwait(false);
                    return ExitCodes.InvalidConfiguration;
                }

                list.Add(new JsonObject { ["name"] = variant[..eq], ["version"] = version, ["weight"] = weight });
            }

            var body = new JsonObject { ["label"] = result.GetValue(label), ["variants"] = list, ["unit"] = result.GetValue(unit), ["min_sample"] = result.GetValue(minSample) };
            var answer = await client.SendAsync(HttpMethod.Post, $"/api/prompts/{Uri.EscapeDataString(result.GetValue(name)!)}/experiments", body, ct).ConfigureAwait(false);
            using var document = JsonDocument.Parse(answer);
            await Console.Out.WriteLineAsync(document.RootElement.GetProperty("id").GetString()).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Show(ApiOptions api)
    {
        var id = new Argument<string>("ID");
        var format = CliOptions.Format("table", "json");
        var command = api.AddTo(new Command("show", "Per-variant figures and each variant against the control") { id, format });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var answer = await client.GetAsync($"/api/experiments/{Uri.EscapeDataString(result.GetValue(id)!)}", ct).ConfigureAwait(false);
            if (result.GetValue(format) == "json")
            {
                await Console.Out.WriteLineAsync(JsonText.Indented(answer)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            await Console.Out.WriteLineAsync($"{root.GetProperty("prompt").GetString()} on '{root.GetProperty("label").GetString()}': {root.GetProperty("status").GetString()}").ConfigureAwait(false);
            var figures = new TextTable(["variant", "version", "weight", "calls", "error rate", "p50 ms", "p95 ms", "cost/call", "positive"]).AlignRight(1).AlignRight(2).AlignRight(3).AlignRight(4).AlignRight(5).AlignRight(6).AlignRight(7).AlignRight(8);
            foreach (var v in root.GetProperty("variants").EnumerateArray())
            {
                var latency = v.GetProperty("latency_ms");
                figures.Add([JsonText.Cell(v, "name"), JsonText.Cell(v, "version"), JsonText.Cell(v, "weight"), JsonText.Cell(v, "calls"), JsonText.Cell(v, "error_rate"), JsonText.Cell(latency, "p50"), JsonText.Cell(latency, "p95"), JsonText.Cell(v, "cost_per_call_usd"), JsonText.Cell(v, "positive_feedback_rate")]);
            }

            await figures.WriteAsync(Console.Out).ConfigureAwait(false);
            await Console.Out.WriteLineAsync().ConfigureAwait(false);
            var comparisons = new TextTable(["variant", "metric", "difference", "95% interval", "p", "test", "verdict"]).AlignRight(2).AlignRight(4);
            foreach (var c in root.GetProperty("comparisons").EnumerateArray())
            {
                foreach (var m in c.GetProperty("metrics").EnumerateArray())
                {
                    comparisons.Add([JsonText.Cell(c, "variant"), JsonText.Cell(m, "metric"), JsonText.Cell(m, "difference"), $"{JsonText.Cell(m, "ci_low")} .. {JsonText.Cell(m, "ci_high")}", JsonText.Cell(m, "p_value"), JsonText.Cell(m, "test"), JsonText.Cell(m, "verdict")]);
                }
            }

            await comparisons.WriteAsync(Console.Out).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command End(ApiOptions api, string verb)
    {
        var id = new Argument<string>("ID");
        var command = api.AddTo(new Command(verb, "End the experiment; the label stays where it is") { id });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            await client.SendAsync(HttpMethod.Post, $"/api/experiments/{Uri.EscapeDataString(result.GetValue(id)!)}/{verb}", null, ct).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"{result.GetValue(id)} stopped.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Decide(ApiOptions api)
    {
        var id = new Argument<string>("ID");
        var winner = new Argument<string>("WINNER") { Description = "The winning variant: the label moves to its version" };
        var command = api.AddTo(new Command("decide", "Pick the winner: the label moves to its version and the experiment ends") { id, winner });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            await client.SendAsync(HttpMethod.Post, $"/api/experiments/{Uri.EscapeDataString(result.GetValue(id)!)}/decide", new JsonObject { ["winner"] = result.GetValue(winner) }, ct).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"{result.GetValue(winner)} won; the label now points at its version.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
