using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>The options of <c>keys create</c> and <c>keys update</c>, and the request body they make.</summary>
internal sealed class KeyOptions
{
    private static readonly string[] s_scopes = ["inference", "ingest", "feedback", "read", "admin", "guardrails_off"];

    private readonly bool _update;

    public KeyOptions(bool update)
    {
        _update = update;
        Policy = new PolicyOptions(update);
        Guards = new GuardListOptions(update);
        Name = new Option<string?>("--name") { Description = "A name people recognise", Required = !update };
        ExpiresAt.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                result.AddError($"--expires-at: '{text}' is not a time such as 2026-12-31T23:59:59Z.");
            }
        });
    }

    public Option<string?> Name { get; }

    public Option<string?> Team { get; } = new("--team") { Description = "Team id the key belongs to" };

    public Option<string?> User { get; } = new("--user") { Description = "User id the key belongs to" };

    public Option<string[]> Models { get; } = CliOptions.List("--model", "Model group the key may call; repeat or comma-separate (default: all)");

    public Option<string[]> Scopes { get; } = CliOptions.List("--scope", "inference (default), ingest, feedback, read, admin or guardrails_off; repeat or comma-separate", s_scopes);

    public Option<string?> ExpiresIn { get; } = new("--expires-in") { Description = "Lifetime such as 30d, 12h or 90m" };

    public Option<string?> ExpiresAt { get; } = new("--expires-at") { Description = "Expiry time such as 2026-12-31T23:59:59Z" };

    public Option<string?> Capture { get; } = CliOptions.OneOf("--capture", "Content capture for this key's calls: full, sample or metadata", "full", "sample", "metadata");

    public Option<string?> Metadata { get; } = CliOptions.Metadata();

    public Option<bool> AllModels { get; } = new("--all-models") { Description = "Allow every model group again" };

    public Option<bool> NoExpiry { get; } = new("--no-expiry") { Description = "Never expire" };

    public Option<bool> NoTeam { get; } = new("--no-team") { Description = "Detach the key from its team" };

    public Option<bool> NoUser { get; } = new("--no-user") { Description = "Detach the key from its user" };

    public PolicyOptions Policy { get; }

    public GuardListOptions Guards { get; }

    private Option[] Fields => _update
        ? [Name, Team, User, Models, Scopes, ExpiresIn, ExpiresAt, Capture, Metadata, AllModels, NoExpiry, NoTeam, NoUser]
        : [Name, Team, User, Models, Scopes, ExpiresIn, ExpiresAt, Capture, Metadata];

    public void AddTo(Command command)
    {
        foreach (var option in Fields)
        {
            command.Options.Add(option);
        }

        Policy.AddTo(command);
        Guards.AddTo(command);
        command.Validators.Add(result =>
        {
            foreach (var (a, b) in (ReadOnlySpan<(Option, Option)>)[(ExpiresIn, ExpiresAt), (ExpiresIn, NoExpiry), (ExpiresAt, NoExpiry), (Models, AllModels), (Team, NoTeam), (User, NoUser)])
            {
                if (CliOptions.Given(result, a) && CliOptions.Given(result, b))
                {
                    result.AddError($"{a.Name} and {b.Name}: give one or the other.");
                }
            }

            if (_update && !Fields.Concat(Policy.All).Concat(Guards.All).Any(o => CliOptions.Given(result, o)))
            {
                result.AddError("Nothing to change: give at least one option, such as --name or --rpm.");
            }
        });
    }

    /// <summary>The request body: only what the options set, so an update leaves everything else as it is.</summary>
    public JsonObject Body(ParseResult result, JsonElement? current)
    {
        var body = new JsonObject();
        SetString(body, "name", result.GetValue(Name));
        SetString(body, "team", result.GetValue(Team));
        SetString(body, "user", result.GetValue(User));
        SetString(body, "expires_in", result.GetValue(ExpiresIn));
        SetString(body, "expires_at", result.GetValue(ExpiresAt));
        SetString(body, "capture", result.GetValue(Capture));
        if (CliOptions.Values(result, Models) is { Length: > 0 } models)
        {
            body["models"] = new JsonArray(models.Select(m => (JsonNode?)m).ToArray());
        }

        if (CliOptions.Values(result, Scopes) is { Length: > 0 } scopes)
        {
            body["scopes"] = new JsonArray(scopes.Select(s => (JsonNode?)s.ToLowerInvariant()).ToArray());
        }

        if (result.GetValue(Metadata) is { } metadata)
        {
            body["metadata"] = CliOptions.ParseObject(metadata);
        }

        // JSON null clears a field in a PATCH.
        foreach (var (flag, field) in (ReadOnlySpan<(Option<bool>, string)>)[(AllModels, "models"), (NoExpiry, "expires_at"), (NoTeam, "team"), (NoUser, "user")])
        {
            if (result.GetValue(flag))
            {
                body[field] = null;
            }
        }

        Policy.Apply(result, body, current);
        Guards.Apply(result, body);
        return body;
    }

    private static void SetString(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }
}
