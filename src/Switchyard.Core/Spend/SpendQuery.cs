namespace Switchyard.Spend;

/// <summary>A spend report: which dimensions to group by, and which rows to include.</summary>
internal sealed record SpendQuery(IReadOnlyList<string> GroupBy, DateOnly? From, DateOnly? To, string? Key, string? User, string? Team, string? Model)
{
    /// <summary>The team the caller's key is bound to: only its spend is reported, whatever <see cref="Team"/> asks.</summary>
    public string? ScopeTeam { get; init; }

    /// <summary>This query confined to what <paramref name="reach"/> may read.</summary>
    public SpendQuery Within(Identity.Reach reach) => reach.Team is not { } team ? this : this with { Team = Team ?? team, ScopeTeam = team };

    /// <summary>API name → ledger column.</summary>
    public static readonly IReadOnlyDictionary<string, string> Dimensions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["key"] = "key_id",
        ["user"] = "user_id",
        ["team"] = "team_id",
        ["model"] = "model_group",
        ["day"] = "day",
    };
}
