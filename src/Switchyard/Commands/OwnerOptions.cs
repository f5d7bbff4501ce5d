using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>The options of <c>teams|users create|update</c>, and the request body they make.</summary>
internal sealed class OwnerOptions
{
    private readonly Option[] _fields;

    public OwnerOptions(bool user, bool update)
    {
        Policy = new PolicyOptions(update);
        Guards = user ? null : new GuardListOptions(update);
        _fields = (user, update) switch
        {
            (false, false) => [Id, Name, Metadata],
            (false, true) => [Name, Metadata],
            (true, false) => [Id, Name, Email, Team, Metadata],
            (true, true) => [Name, Email, Team, NoTeam, Metadata],
        };
    }

    public Option<string?> Id { get; } = new("--id") { Description = "Your id for it, such as 'eng' or 'alice@example.com' (default: generated)" };

    public Option<string?> Name { get; } = new("--name") { Description = "Display name" };

    public Option<string?> Email { get; } = new("--email") { Description = "Email address" };

    public Option<string?> Team { get; } = new("--team") { Description = "Team id the user belongs to" };

    public Option<bool> NoTeam { get; } = new("--no-team") { Description = "Take the user out of its team" };

    public Option<string?> Metadata { get; } = CliOptions.Metadata();

    public PolicyOptions Policy { get; }

    /// <summary>Teams only: a user's keys follow their team's lists.</summary>
    public GuardListOptions? Guards { get; }

    public void AddTo(Command command, bool update)
    {
        foreach (var option in _fields)
        {
            command.Options.Add(option);
        }

        Policy.AddTo(command);
        Guards?.AddTo(command);
        command.Validators.Add(result =>
        {
            if (CliOptions.Given(result, Team) && CliOptions.Given(result, NoTeam))
            {
                result.AddError("--team and --no-team: give one or the other.");
            }

            if (update && !_fields.Concat(Policy.All).Concat(Guards?.All ?? []).Any(o => CliOptions.Given(result, o)))
            {
                result.AddError("Nothing to change: give at least one option, such as --name or --budget-usd.");
            }
        });
    }

    /// <summary>The request body: only what the options set, so an update leaves everything else as it is.</summary>
    public JsonObject Body(ParseResult result, JsonElement? current)
    {
        var body = new JsonObject();
        foreach (var (option, field) in (ReadOnlySpan<(Option<string?>, string)>)[(Id, "id"), (Name, "name"), (Email, "email"), (Team, "team")])
        {
            if (_fields.Contains(option) && result.GetValue(option) is { } value)
            {
                body[field] = value;
            }
        }

        if (result.GetValue(Metadata) is { } metadata)
        {
            body["metadata"] = CliOptions.ParseObject(metadata);
        }

        if (_fields.Contains(NoTeam) && result.GetValue(NoTeam))
        {
            body["team"] = null; // JSON null clears a field in a PATCH.
        }

        Policy.Apply(result, body, current);
        Guards?.Apply(result, body);
        return body;
    }
}
