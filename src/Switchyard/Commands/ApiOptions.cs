using System.CommandLine;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>--url</c> and <c>--key</c>, which every command that talks to a running Switchyard takes. One
/// instance may be added to many commands: System.CommandLine reads an option's value per parse.
/// </summary>
internal sealed class ApiOptions
{
    public const string DefaultUrl = "http://127.0.0.1:4000";

    /// <summary>Where a gateway that is not on this machine's port 4000 is named once, for every command.</summary>
    public const string UrlVariable = "SWITCHYARD_URL";

    /// <summary>No default value here: help would print it after the description, which already says it.</summary>
    public Option<string?> Url { get; } = new("--url") { Description = $"Switchyard's address (default: ${UrlVariable}, else {DefaultUrl})" };

    public Option<string?> Key { get; } = new("--key") { Description = "Admin key (default: $SWITCHYARD_ADMIN_KEY)" };

    /// <summary><c>--url</c>, else <c>SWITCHYARD_URL</c>, else the default.</summary>
    public string UrlOf(ParseResult result) => result.GetValue(Url) ?? EnvironmentUrl ?? DefaultUrl;

    /// <summary><c>SWITCHYARD_URL</c> when set and not blank.</summary>
    public static string? EnvironmentUrl => Environment.GetEnvironmentVariable(UrlVariable) is { } url && !string.IsNullOrWhiteSpace(url) ? url.Trim() : null;

    /// <summary>Adds both options to <paramref name="command"/> and returns it, for use in collection initialisers.</summary>
    public Command AddTo(Command command)
    {
        // First, so every command's help starts with where it connects.
        command.Options.Insert(0, Url);
        command.Options.Insert(1, Key);
        return command;
    }
}
