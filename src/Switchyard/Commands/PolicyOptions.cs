using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>
/// The rate limit and budget options of keys, teams and users, and the <c>limits</c> / <c>budget</c>
/// objects they become. The API replaces each object whole, so an update merges the given options into
/// the current values: <c>--rpm 20</c> keeps the tpm limit and <c>--budget-usd 50</c> keeps the window.
/// </summary>
internal sealed class PolicyOptions
{
    private readonly bool _update;

    public PolicyOptions(bool update)
    {
        _update = update;
        AlertThresholds.Validators.Add(result =>
        {
            foreach (var t in result.GetValueOrDefault<double[]>() ?? [])
            {
                if (t <= 0)
                {
                    result.AddError($"--alert-threshold: must be a positive fraction of the budget (1 = 100 %), not {t}.");
                }
            }
        });
    }

    public Option<long?> Rpm { get; } = CliOptions.Positive<long>("--rpm", "Requests per minute");

    public Option<long?> Tpm { get; } = CliOptions.Positive<long>("--tpm", "Tokens per minute");

    public Option<int?> MaxConcurrent { get; } = CliOptions.Positive<int>("--max-concurrent", "Calls in flight at once");

    public Option<decimal?> BudgetUsd { get; } = CliOptions.Positive<decimal>("--budget-usd", "Budget in USD per window");

    public Option<string?> BudgetWindow { get; } = CliOptions.OneOf("--budget-window", "daily, weekly, monthly (default) or total", "daily", "weekly", "monthly", "total");

    public Option<string?> BudgetMode { get; } = CliOptions.OneOf("--budget-mode", "hard (default: refuse calls past the budget) or soft (alerts only)", "hard", "soft");

    public Option<double[]> AlertThresholds { get; } = new("--alert-threshold")
    {
        Description = "Fraction of the budget that raises an alert; repeat it (default 0.5 0.8 1)",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<bool> NoLimits { get; } = new("--no-limits") { Description = "Remove every rate limit" };

    public Option<bool> NoBudget { get; } = new("--no-budget") { Description = "Remove the budget" };

    private Option[] LimitOptions => [Rpm, Tpm, MaxConcurrent];

    private Option[] BudgetOptions => [BudgetUsd, BudgetWindow, BudgetMode, AlertThresholds];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (CliOptions.Given(result, NoLimits) && LimitOptions.Any(o => CliOptions.Given(result, o)))
            {
                result.AddError("--no-limits cannot be combined with --rpm, --tpm or --max-concurrent.");
            }

            if (CliOptions.Given(result, NoBudget) && BudgetOptions.Any(o => CliOptions.Given(result, o)))
            {
                result.AddError("--no-budget cannot be combined with the other --budget options or --alert-threshold.");
            }

            // On create there is no budget to take the amount from; on update there may be one.
            if (!_update && !CliOptions.Given(result, BudgetUsd) && BudgetOptions.Any(o => CliOptions.Given(result, o)))
            {
                result.AddError("--budget-window, --budget-mode and --alert-threshold need --budget-usd.");
            }
        });
    }

    /// <summary>Every option this adds to a command.</summary>
    public Option[] All => _update ? [.. LimitOptions, .. BudgetOptions, NoLimits, NoBudget] : [.. LimitOptions, .. BudgetOptions];

    /// <summary>True when an update must read the current values first, to merge into them.</summary>
    public bool NeedsCurrent(ParseResult result) => _update && LimitOptions.Concat(BudgetOptions).Any(o => CliOptions.Given(result, o));

    /// <summary>Sets <c>limits</c> and <c>budget</c> on <paramref name="body"/> when the options touch them.</summary>
    /// <param name="current">The subject as the API shows it (update), or null (create).</param>
    public void Apply(ParseResult result, JsonObject body, JsonElement? current)
    {
        if (result.GetValue(NoLimits))
        {
            body["limits"] = null;
        }
        else if (LimitOptions.Any(o => CliOptions.Given(result, o)))
        {
            var limits = new JsonObject();
            var was = Current(current, "limits");
            Merge(limits, "rpm", result.GetValue(Rpm) is { } rpm ? rpm : null, was);
            Merge(limits, "tpm", result.GetValue(Tpm) is { } tpm ? tpm : null, was);
            Merge(limits, "max_concurrent", result.GetValue(MaxConcurrent) is { } concurrent ? concurrent : null, was);
            body["limits"] = limits;
        }

        if (result.GetValue(NoBudget))
        {
            body["budget"] = null;
        }
        else if (BudgetOptions.Any(o => CliOptions.Given(result, o)))
        {
            var budget = new JsonObject();
            var was = Current(current, "budget");
            Merge(budget, "max_usd", result.GetValue(BudgetUsd) is { } usd ? usd : null, was);
            Merge(budget, "window", result.GetValue(BudgetWindow), was);
            Merge(budget, "mode", result.GetValue(BudgetMode), was);
            Merge(budget, "alert_thresholds", result.GetValue(AlertThresholds) is { Length: > 0 } thresholds ? new JsonArray(thresholds.Select(t => (JsonNode?)t).ToArray()) : null, was);
            body["budget"] = budget;
        }
    }

    private static JsonElement? Current(JsonElement? subject, string name) =>
        subject is { } s && s.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    /// <summary>The given value, else the current one; a field neither has is left out (the API's default).</summary>
    private static void Merge(JsonObject target, string name, JsonNode? given, JsonElement? current)
    {
        if (given is not null)
        {
            target[name] = given;
        }
        else if (current is { } c && c.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            target[name] = JsonNode.Parse(value.GetRawText());
        }
    }
}
