using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard prompts list | show NAME[@label|@version] | diff NAME A B | label NAME VERSION LABEL | rollback NAME [LABEL] | push DIR</c>
/// over <c>/api/prompts</c>.
/// </summary>
internal static class PromptsCommand
{
    public static Command Create()
    {
        var api = new ApiOptions();
        return new Command("prompts", "The prompt registry: versions, labels, diffs, rollbacks, and pushing prompt files from a directory") { List(api), Show(api), Diff(api), Label(api), Rollback(api), PromptsPushCommand.Create(api), PromptTrafficCommands.Rollout(api), PromptTrafficCommands.Rollouts(api), PromptTrafficCommands.Experiment(api) };
    }

    private static Command List(ApiOptions api)
    {
        var format = CliOptions.Format("table", "json");
        var command = api.AddTo(new Command("list", "Every prompt with its newest version and labels") { format });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var body = await client.GetAsync("/api/prompts", ct).ConfigureAwait(false);
            if (result.GetValue(format) == "json")
            {
                await Console.Out.WriteLineAsync(body).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            using var document = JsonDocument.Parse(body);
            var table = new TextTable(["name", "latest", "labels", "updated"]).AlignRight(1);
            foreach (var prompt in document.RootElement.GetProperty("data").EnumerateArray())
            {
                var labels = string.Join(", ", prompt.GetProperty("labels").EnumerateObject().Where(l => l.Name != "latest").Select(l => $"{l.Name}={l.Value.GetInt32()}"));
                table.Add([JsonText.Cell(prompt, "name"), JsonText.Cell(prompt, "latest_version"), labels, JsonText.Cell(prompt, "updated_at")]);
            }

            await table.WriteAsync(Console.Out).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Show(ApiOptions api)
    {
        var reference = new Argument<string>("NAME") { Description = "A prompt: NAME (all versions), NAME@LABEL or NAME@VERSION (one version)" };
        var command = api.AddTo(new Command("show", "A prompt's versions, or one version, as JSON") { reference });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var text = result.GetValue(reference)!;
            var at = text.LastIndexOf('@');
            var path = at < 0
                ? $"/api/prompts/{Uri.EscapeDataString(text)}"
                : int.TryParse(text[(at + 1)..], out var version)
                    ? $"/api/prompts/{Uri.EscapeDataString(text[..at])}/versions/{version}"
                    : $"/api/prompts/{Uri.EscapeDataString(text[..at])}/labels/{Uri.EscapeDataString(text[(at + 1)..])}";
            await Console.Out.WriteLineAsync(JsonText.Indented(await client.GetAsync(path, ct).ConfigureAwait(false))).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Diff(ApiOptions api)
    {
        var name = new Argument<string>("NAME");
        var from = new Argument<int>("A") { Description = "The older version" };
        var to = new Argument<int>("B") { Description = "The newer version" };
        var command = api.AddTo(new Command("diff", "Two versions line by line: - only in A, + only in B") { name, from, to });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var body = await client.GetAsync($"/api/prompts/{Uri.EscapeDataString(result.GetValue(name)!)}/diff?from={result.GetValue(from)}&to={result.GetValue(to)}", ct).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            foreach (var line in document.RootElement.GetProperty("lines").EnumerateArray())
            {
                await Console.Out.WriteLineAsync(line.GetString()).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Label(ApiOptions api)
    {
        var name = new Argument<string>("NAME");
        var version = new Argument<int>("VERSION");
        var label = new Argument<string>("LABEL") { Description = "production, staging or any name" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit trail" };
        var command = api.AddTo(new Command("label", "Point a label at a version (atomic, audited)") { name, version, label, reason });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var body = new JsonObject { ["version"] = result.GetValue(version) };
            if (result.GetValue(reason) is { } why)
            {
                body["reason"] = why;
            }

            var answer = await client.SendAsync(HttpMethod.Put, $"/api/prompts/{Uri.EscapeDataString(result.GetValue(name)!)}/labels/{Uri.EscapeDataString(result.GetValue(label)!)}", body, ct).ConfigureAwait(false);
            using var document = JsonDocument.Parse(answer);
            var moved = document.RootElement.GetProperty("moved").GetBoolean();
            await Console.Error.WriteLineAsync(moved ? $"{result.GetValue(label)} now points at version {result.GetValue(version)}." : $"{result.GetValue(label)} already pointed at version {result.GetValue(version)}.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Rollback(ApiOptions api)
    {
        var name = new Argument<string>("NAME");
        var label = new Argument<string>("LABEL") { Description = "The label to move back (default: production)", DefaultValueFactory = _ => "production" };
        var command = api.AddTo(new Command("rollback", "Move a label back to the version it pointed at before (atomic, audited)") { name, label });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var answer = await client.SendAsync(HttpMethod.Post, $"/api/prompts/{Uri.EscapeDataString(result.GetValue(name)!)}/labels/{Uri.EscapeDataString(result.GetValue(label)!)}/rollback", null, ct).ConfigureAwait(false);
            using var document = JsonDocument.Parse(answer);
            var r = document.RootElement;
            await Console.Error.WriteLineAsync($"{result.GetValue(label)}: version {r.GetProperty("from_version").GetInt32()} -> {r.GetProperty("version").GetInt32()}.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
