using System.CommandLine;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>--input-guards</c> / <c>--output-guards</c> of keys and teams, and <c>--inherit-guards</c> on update:
/// the <c>guardrails</c> member of their request body.
/// </summary>
internal sealed class GuardListOptions(bool update)
{
    public Option<string[]> Input { get; } = CliOptions.List("--input-guards", "Input guards this key or team runs instead of the model group's, in order; 'none' runs none");

    public Option<string[]> Output { get; } = CliOptions.List("--output-guards", "Output guards this key or team runs instead of the model group's, in order; 'none' runs none");

    public Option<bool> Inherit { get; } = new("--inherit-guards") { Description = "Drop its own guard lists and follow the team's or the model group's again" };

    public Option[] All => update ? [Input, Output, Inherit] : [Input, Output];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetValue(Inherit) && (CliOptions.Given(result, Input) || CliOptions.Given(result, Output)))
            {
                result.AddError("--inherit-guards and --input-guards / --output-guards: give one or the other.");
            }
        });
    }

    public void Apply(ParseResult result, JsonObject body)
    {
        if (update && result.GetValue(Inherit))
        {
            body["guardrails"] = null; // JSON null clears a field in a PATCH.
            return;
        }

        var lists = new JsonObject();
        foreach (var (option, field) in (ReadOnlySpan<(Option<string[]>, string)>)[(Input, "input"), (Output, "output")])
        {
            if (CliOptions.Given(result, option))
            {
                var names = CliOptions.Values(result, option);
                lists[field] = new JsonArray([.. names.Where(n => !n.Equals("none", StringComparison.OrdinalIgnoreCase)).Select(n => (JsonNode?)n)]);
            }
        }

        if (lists.Count > 0)
        {
            body["guardrails"] = lists;
        }
    }
}
