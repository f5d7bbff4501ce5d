using System.Text.Json.Serialization;
using Switchyard.Identity;
using Switchyard.Limits;
using Switchyard.Spend;

namespace Switchyard.Hosting;

/// <summary>A team as the API shows it.</summary>
internal sealed record TeamView(
    string Id,
    string Object,
    string? Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Metadata,
    LimitsView Limits,
    BudgetView? Budget,
    SpendView? Spend,
    GuardrailLists? Guardrails,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static TeamView Of(Team team, BudgetStatus budgets) => new(
        team.Id, "team", team.Name, team.MetadataJson, PolicyJson.View(team.Limits), PolicyJson.View(team.Budget), budgets.Of(team), team.Guardrails, team.CreatedAt, team.UpdatedAt);
}
