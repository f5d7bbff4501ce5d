using System.Text.Json.Serialization;
using Switchyard.Identity;
using Switchyard.Limits;
using Switchyard.Spend;

namespace Switchyard.Hosting;

/// <summary>A user as the API shows it.</summary>
internal sealed record UserView(
    string Id,
    string Object,
    string? Name,
    string? Email,
    string? Team,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Metadata,
    LimitsView Limits,
    BudgetView? Budget,
    SpendView? Spend,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static UserView Of(UserAccount user, BudgetStatus budgets) => new(
        user.Id, "user", user.Name, user.Email, user.TeamId, user.MetadataJson, PolicyJson.View(user.Limits), PolicyJson.View(user.Budget), budgets.Of(user), user.CreatedAt, user.UpdatedAt);
}
