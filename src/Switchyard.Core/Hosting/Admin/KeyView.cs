using System.Text.Json.Serialization;
using Switchyard.Identity;
using Switchyard.Limits;
using Switchyard.Spend;

namespace Switchyard.Hosting;

/// <summary>A virtual key as the API shows it: the secret (<c>key</c>) only in the answer that made it, else a hint.</summary>
internal sealed record KeyView(
    string Id,
    string Object,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
    string Name,
    string Hint,
    string Status,
    string? Team,
    string? User,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string>? Models,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? PreviousSecretValidUntil,
    string? Capture,
    GuardrailLists? Guardrails,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Metadata,
    LimitsView Limits,
    BudgetView? Budget,
    SpendView? Spend,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// True only in the answer that created the first key while /v1 was open on loopback: from now on
    /// /v1 needs a key. Absent otherwise, so the field only adds to the wire format.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? V1NowRequiresKey { get; init; }

    public static KeyView Of(VirtualKey key, DateTimeOffset now, BudgetStatus budgets, string? secret = null) => new(
        key.Id,
        "key",
        secret,
        key.Name,
        key.Hint,
        key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : "active",
        key.TeamId,
        key.UserId,
        [.. KeyScopeNames.Names(key.Scopes)],
        key.Models,
        key.ExpiresAt,
        key.RevokedAt,
        key.PreviousValidUntil > now ? key.PreviousValidUntil : null,
        key.Capture?.ToString().ToLowerInvariant(),
        key.Guardrails,
        key.MetadataJson,
        PolicyJson.View(key.Limits),
        PolicyJson.View(key.Budget),
        budgets.Of(key),
        key.CreatedAt,
        key.UpdatedAt);
}
