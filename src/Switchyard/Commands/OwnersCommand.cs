using System.CommandLine;
using System.Text.Json;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard teams ...</c> and <c>switchyard users ...</c>: the owners of keys, each with its own
/// limits and budget, through <c>/api/teams</c> and <c>/api/users</c>. The two differ only in fields.
/// </summary>
internal static class OwnersCommand
{
    public static Command Teams() => Create(user: false);

    public static Command Users() => Create(user: true);

    private static Command Create(bool user)
    {
        var api = new ApiOptions();
        var (noun, plural) = user ? ("user", "users") : ("team", "teams");
        var path = "/api/" + plural;

        var createOptions = new OwnerOptions(user, update: false);
        var create = api.AddTo(new Command("create", $"Create a {noun}"));
        createOptions.AddTo(create, update: false);
        create.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var body = await client.SendAsync(HttpMethod.Post, path, createOptions.Body(result, null), ct).ConfigureAwait(false);
            await PrintAsync(body, $"Created {noun}").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));

        var team = new Option<string?>("--team") { Description = "Only this team's users" };
        var format = CliOptions.Format("table", "json");
        var list = api.AddTo(new Command("list", $"List {plural}") { format });
        if (user)
        {
            list.Options.Add(team);
        }

        list.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var query = user && result.GetValue(team) is { } t ? "?team=" + Uri.EscapeDataString(t) : "";
            var body = await client.GetAsync(path + query, ct).ConfigureAwait(false);
            if (result.GetValue(format) == "json")
            {
                await Console.Out.WriteLineAsync(body).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await WriteTableAsync(body, user).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));

        var showId = IdArgument(noun);
        var show = api.AddTo(new Command("show", $"One {noun} with its limits, budget and current spend, as JSON") { showId });
        show.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var body = await client.GetAsync(ItemPath(path, result, showId), ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(JsonText.Indented(body)).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));

        var updateId = IdArgument(noun);
        var updateOptions = new OwnerOptions(user, update: true);
        var update = api.AddTo(new Command("update", $"Change a {noun}; options not given stay as they are") { updateId });
        updateOptions.AddTo(update, update: true);
        update.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var item = ItemPath(path, result, updateId);
            using var current = updateOptions.Policy.NeedsCurrent(result) ? JsonDocument.Parse(await client.GetAsync(item, ct).ConfigureAwait(false)) : null;
            var body = await client.SendAsync(HttpMethod.Patch, item, updateOptions.Body(result, current?.RootElement), ct).ConfigureAwait(false);
            await PrintAsync(body, $"Updated {noun}").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));

        var deleteId = IdArgument(noun);
        var delete = api.AddTo(new Command("delete", user ? "Delete a user that owns no keys" : "Delete a team that has no users or keys") { deleteId });
        delete.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            await client.SendAsync(HttpMethod.Delete, ItemPath(path, result, deleteId), null, ct).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"Deleted {noun} {result.GetValue(deleteId)}.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));

        return new Command(plural, user ? "Users: the people keys belong to, with their own limits and budget" : "Teams: groups of users and keys, with their own limits and budget")
        {
            create, list, show, update, delete,
        };
    }

    /// <summary>The answer as indented JSON on stdout, and what happened (with the id, which may be generated) on stderr.</summary>
    private static async Task PrintAsync(string body, string done)
    {
        using var doc = JsonDocument.Parse(body);
        await Console.Out.WriteLineAsync(JsonText.Indented(body)).ConfigureAwait(false);
        await Console.Error.WriteLineAsync($"{done} {doc.RootElement.GetProperty("id").GetString()}.").ConfigureAwait(false);
    }

    private static async Task WriteTableAsync(string body, bool user)
    {
        using var doc = JsonDocument.Parse(body);
        var table = user ? new TextTable("id", "name", "email", "team", "limits", "budget (spent/max USD)") : new TextTable("id", "name", "limits", "budget (spent/max USD)");
        foreach (var item in doc.RootElement.GetProperty("data").EnumerateArray())
        {
            if (user)
            {
                table.Add(JsonText.Cell(item, "id"), JsonText.Cell(item, "name"), JsonText.Cell(item, "email"), JsonText.Cell(item, "team"), JsonText.Limits(item), JsonText.Budget(item));
            }
            else
            {
                table.Add(JsonText.Cell(item, "id"), JsonText.Cell(item, "name"), JsonText.Limits(item), JsonText.Budget(item));
            }
        }

        await table.WriteAsync(Console.Out).ConfigureAwait(false);
    }

    private static Argument<string> IdArgument(string noun) => new("id") { Description = $"The {noun}'s id" };

    private static string ItemPath(string path, ParseResult result, Argument<string> id) => path + "/" + Uri.EscapeDataString(result.GetValue(id)!);
}
