using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>
/// Options the admin commands share, with the checks that are cheap to make before any request: a
/// mistyped number or format fails at once with exit code 1, without a round trip to the server.
/// </summary>
internal static class CliOptions
{
    /// <summary><c>--format</c> with the given values; the first is the default.</summary>
    public static Option<string> Format(params string[] values)
    {
        var option = new Option<string>("--format") { Description = string.Join(" or ", values), DefaultValueFactory = _ => values[0] };
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    public static Option<T?> Positive<T>(string name, string description)
        where T : struct, INumber<T>
    {
        var option = new Option<T?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T?>() is { } value && value <= T.Zero)
            {
                result.AddError($"{name}: must be a positive number, not {value}.");
            }
        });
        return option;
    }

    /// <summary>A repeatable option that also takes comma-separated values: <c>--model a --model b</c> or <c>--model a,b</c>.</summary>
    public static Option<string[]> List(string name, string description, params string[] allowed)
    {
        var option = new Option<string[]>(name) { Description = description, Arity = ArgumentArity.OneOrMore };
        option.Validators.Add(result =>
        {
            foreach (var value in Split(result.GetValueOrDefault<string[]>()))
            {
                if (allowed.Length > 0 && !allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
                {
                    result.AddError($"{name}: '{value}' is not one of {string.Join(", ", allowed)}.");
                }
            }
        });
        return option;
    }

    public static string[] Values(ParseResult result, Option<string[]> option) => Split(result.GetValue(option));

    /// <summary>A choice among fixed words, checked here so a typo does not cost a request.</summary>
    public static Option<string?> OneOf(string name, string description, params string[] values)
    {
        var option = new Option<string?>(name) { Description = description };
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    /// <summary><c>--metadata '{"k":"v"}'</c>: must be a JSON object, which is all the API accepts.</summary>
    public static Option<string?> Metadata()
    {
        var option = new Option<string?>("--metadata") { Description = "A JSON object, e.g. '{\"env\":\"prod\"}' ('{}' to clear on update)" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && ParseObject(text) is null)
            {
                result.AddError("--metadata: must be a JSON object such as '{\"env\":\"prod\"}'.");
            }
        });
        return option;
    }

    public static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>--from</c> / <c>--to</c> as the spend API wants them: a day, 2026-11-27.</summary>
    public static Option<string?> Day(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                result.AddError($"{name}: '{text}' is not a day in the form 2026-11-27.");
            }
        });
        return option;
    }

    /// <summary>True when the user typed the option (a flag's false default or an empty list does not count).</summary>
    public static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <inheritdoc cref="Given(ParseResult, Option)"/>
    public static bool Given(System.CommandLine.Parsing.SymbolResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private static string[] Split(string[]? values) => values is null
        ? []
        : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
