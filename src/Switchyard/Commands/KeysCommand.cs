using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard keys create|list|show|update|rotate|revoke</c>: virtual keys through <c>/api/keys</c>.
/// A secret is printed once, alone on stdout so <c>$(switchyard keys create ...)</c> captures just it;
/// everything said about it goes to stderr.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var api = new ApiOptions();
        return new Command("keys", "Virtual keys: create, list, show, update, rotate, revoke")
        {
            CreateKey(api), List(api), Show(api), Update(api), Rotate(api), Revoke(api),
        };
    }

    private static Command CreateKey(ApiOptions api)
    {
        var options = new KeyOptions(update: false);
        var format = CliOptions.Format("text", "json");
        var command = api.AddTo(new Command("create", "Create a key; its secret is shown this once") { format });
        options.AddTo(command);
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var body = await client.SendAsync(HttpMethod.Post, "/api/keys", options.Body(result, null), ct).ConfigureAwait(false);
            await PrintSecretAsync(body, result.GetValue(format)!, key => $"Created key {key.GetProperty("id").GetString()} ({key.GetProperty("name").GetString()}).").ConfigureAwait(false);
            using (var created = JsonDocument.Parse(body))
            {
                // Only the answer that ended anonymous loopback use carries it (an additive field).
                if (created.RootElement.TryGetProperty("v1_now_requires_key", out var closed) && closed.ValueKind == JsonValueKind.True)
                {
                    await Console.Error.WriteLineAsync("This is the first virtual key: /v1 now requires a key. Send it as 'Authorization: Bearer <key>' (OpenAI SDKs: api_key=<key>); calls without one get 401.").ConfigureAwait(false);
                }
            }

            await WarnUnservedModelsAsync(client, CliOptions.Values(result, options.Models), ct).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command List(ApiOptions api)
    {
        var team = new Option<string?>("--team") { Description = "Only this team's keys" };
        var user = new Option<string?>("--user") { Description = "Only this user's keys" };
        var revoked = new Option<bool>("--include-revoked") { Description = "Show revoked keys too" };
        var format = CliOptions.Format("table", "json");
        var command = api.AddTo(new Command("list", "List keys, newest first (secrets are never shown, only a hint)") { team, user, revoked, format });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var query = new List<string>();
            foreach (var (name, value) in (ReadOnlySpan<(string, string?)>)[("team", result.GetValue(team)), ("user", result.GetValue(user))])
            {
                if (value is not null)
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }

            if (result.GetValue(revoked))
            {
                query.Add("include_revoked=true");
            }

            var body = await client.GetAsync("/api/keys" + (query.Count == 0 ? "" : "?" + string.Join("&", query)), ct).ConfigureAwait(false);
            if (result.GetValue(format) == "json")
            {
                await Console.Out.WriteLineAsync(body).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            using var doc = JsonDocument.Parse(body);
            var table = new TextTable("id", "name", "status", "team", "user", "scopes", "hint", "limits", "budget (spent/max USD)");
            foreach (var key in doc.RootElement.GetProperty("data").EnumerateArray())
            {
                table.Add(JsonText.Cell(key, "id"), JsonText.Cell(key, "name"), JsonText.Cell(key, "status"), JsonText.Cell(key, "team"), JsonText.Cell(key, "user"),
                    JsonText.Cell(key, "scopes"), JsonText.Cell(key, "hint"), JsonText.Limits(key), JsonText.Budget(key));
            }

            await table.WriteAsync(Console.Out).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Show(ApiOptions api)
    {
        var id = IdArgument();
        var command = api.AddTo(new Command("show", "One key with its limits, budget and current spend, as JSON") { id });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var body = await client.GetAsync(KeyPath(result, id), ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(JsonText.Indented(body)).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Update(ApiOptions api)
    {
        var id = IdArgument();
        var options = new KeyOptions(update: true);
        var command = api.AddTo(new Command("update", "Change a key; options not given stay as they are") { id });
        options.AddTo(command);
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var path = KeyPath(result, id);
            using var current = options.Policy.NeedsCurrent(result) ? JsonDocument.Parse(await client.GetAsync(path, ct).ConfigureAwait(false)) : null;
            var body = await client.SendAsync(HttpMethod.Patch, path, options.Body(result, current?.RootElement), ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(JsonText.Indented(body)).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"Updated key {result.GetValue(id)}.").ConfigureAwait(false);
            await WarnUnservedModelsAsync(client, CliOptions.Values(result, options.Models), ct).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Rotate(ApiOptions api)
    {
        var id = IdArgument();
        var grace = new Option<string?>("--grace") { Description = "How long the old secret keeps working, such as 1h or 0 (default: keys.rotation_grace, 24h)" };
        var format = CliOptions.Format("text", "json");
        var command = api.AddTo(new Command("rotate", "Give a key a new secret, shown this once") { id, grace, format });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var request = new JsonObject();
            if (result.GetValue(grace) is { } g)
            {
                request["grace"] = g;
            }

            var body = await client.SendAsync(HttpMethod.Post, KeyPath(result, id) + "/rotate", request, ct).ConfigureAwait(false);
            await PrintSecretAsync(body, result.GetValue(format)!, key => key.GetProperty("previous_secret_valid_until").GetString() is { } until
                ? $"Rotated key {key.GetProperty("id").GetString()}; the old secret works until {until}."
                : $"Rotated key {key.GetProperty("id").GetString()}; the old secret no longer works.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command Revoke(ApiOptions api)
    {
        var id = IdArgument();
        var command = api.AddTo(new Command("revoke", "Revoke a key: its secrets stop working at once, for good") { id });
        command.SetAction((result, ct) => ApiClient.RunAsync(result, api, async client =>
        {
            var body = await client.SendAsync(HttpMethod.Delete, KeyPath(result, id), null, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(JsonText.Indented(body)).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"Revoked key {result.GetValue(id)}.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    /// <summary>Prints a new secret once: alone on stdout (text), or the whole answer (json); the warning goes to stderr either way.</summary>
    private static async Task PrintSecretAsync(string body, string format, Func<JsonElement, string> describe)
    {
        using var doc = JsonDocument.Parse(body);
        var key = doc.RootElement;
        await Console.Error.WriteLineAsync(describe(key)).ConfigureAwait(false);
        await Console.Error.WriteLineAsync("Copy the secret now: it will not be shown again.").ConfigureAwait(false);
        await Console.Out.WriteLineAsync(format == "json" ? body : key.GetProperty("key").GetString()).ConfigureAwait(false);
    }

    /// <summary>
    /// The API accepts any model group name on a key (groups come and go with the configuration), so a
    /// typo would only show later as 403s; the key is kept, and stderr names what this server does not serve.
    /// </summary>
    private static async Task WarnUnservedModelsAsync(ApiClient client, string[] models, CancellationToken cancellationToken)
    {
        if (models.Length == 0)
        {
            return;
        }

        string body;
        try
        {
            body = await client.GetAsync("/api/models", cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException)
        {
            // A key with only some scopes may not read the model list; the key itself is done, so stay quiet.
            return;
        }

        using var doc = JsonDocument.Parse(body);
        var served = doc.RootElement.GetProperty("data").EnumerateArray().Select(g => g.GetProperty("name").GetString()!).ToList();
        var unknown = models.Where(m => !served.Contains(m, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync($"Warning: this server serves no model group named {string.Join(", ", unknown.Select(m => $"'{m}'"))}; the key may call it only once one is configured. Served: {(served.Count == 0 ? "none" : string.Join(", ", served))}.").ConfigureAwait(false);
        }
    }

    private static Argument<string> IdArgument() => new("id") { Description = "The key's id (key_...), not its secret" };

    private static string KeyPath(ParseResult result, Argument<string> id) => "/api/keys/" + Uri.EscapeDataString(result.GetValue(id)!);
}
