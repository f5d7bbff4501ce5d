namespace Switchyard.Identity;

/// <summary>
/// What a key bound to a team may see and change among keys, users and teams: its own team's only, and
/// no key wider than itself. Anything outside is answered as not found, so other teams' ids are not confirmed.
/// </summary>
internal static class TeamBounds
{
    public static bool Sees(Reach reach, VirtualKey key, KeyRegistry registry) =>
        reach.ReadsEverything || string.Equals(registry.TeamOf(key)?.Id, reach.Team, StringComparison.Ordinal);

    public static bool Sees(Reach reach, UserAccount user) => reach.ReadsEverything || string.Equals(user.TeamId, reach.Team, StringComparison.Ordinal);

    public static bool Sees(Reach reach, Team team) => reach.ReadsEverything || string.Equals(team.Id, reach.Team, StringComparison.Ordinal);

    /// <summary>Teams are created, changed and deleted only by keys that are not bound to one.</summary>
    public static IdentityError? MayManageTeams(Reach reach) => reach.Team is null
        ? null
        : new IdentityError(403, $"This key is bound to team '{reach.Team}': teams, their limits and budgets are managed with a key of no team.", "insufficient_scope");

    /// <summary>A key bound to a team creates keys in its team, with default team when none is given.</summary>
    public static VirtualKey InTeam(Reach reach, VirtualKey draft) =>
        reach.Team is { } team && draft.TeamId is null && draft.UserId is null ? draft with { TeamId = team } : draft;

    /// <summary>A key bound to a team creates users in its team, when none is given.</summary>
    public static UserAccount InTeam(Reach reach, UserAccount draft) =>
        reach.Team is { } team && draft.TeamId is null ? draft with { TeamId = team } : draft;

    public static IdentityError? MayHold(Reach reach, UserAccount user) => Sees(reach, user)
        ? null
        : new IdentityError(403, $"This key is bound to team '{reach.Team}': users it manages stay in that team.", "insufficient_scope");

    /// <summary>
    /// Null when the caller may give out <paramref name="proposed"/>: the admin key may give any key; a virtual
    /// key only one within its own team, models and expiry, so it cannot mint a key wider than itself. (Scopes
    /// need no check: only keys with the admin scope manage keys, and it holds every other scope.)
    /// </summary>
    public static IdentityError? MayGrant(Reach reach, VirtualKey proposed, KeyRegistry registry)
    {
        if (reach.Key is not { } granter)
        {
            return null;
        }

        string? problem = null;
        if (reach.Team is { } team && !string.Equals(registry.TeamOf(proposed)?.Id, team, StringComparison.Ordinal))
        {
            problem = $"this key is bound to team '{team}', so the keys it manages belong to that team";
        }
        else if (granter.Models is { } allowed && (proposed.Models is null || proposed.Models.Any(m => !allowed.Contains(m, StringComparer.Ordinal))))
        {
            problem = $"models: this key may call only {string.Join(", ", allowed)} and cannot grant others";
        }
        else if (granter.ExpiresAt is { } expires && (proposed.ExpiresAt is null || proposed.ExpiresAt > expires))
        {
            problem = $"expires_at: this key expires at {expires:O} and cannot grant a key that outlives it";
        }

        return problem is null ? null : new IdentityError(403, $"A key cannot create or widen a key beyond itself: {problem}.", "insufficient_scope");
    }
}
