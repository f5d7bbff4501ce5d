using Microsoft.AspNetCore.Http;

namespace Switchyard.Identity;

/// <summary>
/// How far a caller's key reaches into the data. The admin key, and keys with neither a team nor the
/// need of one, see everything; a key bound to a team (directly or through its user) sees and changes that
/// team only. Writes from a key without a team (ingest, feedback) go only to traces it made itself.
/// </summary>
/// <param name="Team">The team every read and write is confined to; null for no team.</param>
/// <param name="OwnKey">For a key without a team that may not write everywhere: the key id its writes are confined to.</param>
/// <param name="Key">The virtual key behind the request; null for the admin key.</param>
internal sealed record Reach(string? Team, string? OwnKey, VirtualKey? Key = null)
{
    private static readonly object s_itemKey = new();

    public static readonly Reach Everything = new(null, null);

    /// <summary>True when reads are not confined (no team).</summary>
    public bool ReadsEverything => Team is null;

    /// <summary>True for the admin key, or a virtual key with the admin scope.</summary>
    public bool IsAdmin => Key is null || Key.Scopes.Allows(KeyScopes.Admin);

    /// <summary>True when writes are not confined (the admin key, or a key with the admin scope and no team).</summary>
    public bool WritesEverything => Team is null && OwnKey is null;

    /// <summary>The reach of a virtual key: its team (or its user's team), else its own id unless it has the admin scope.</summary>
    public static Reach Of(VirtualKey key, KeyRegistry registry)
    {
        var team = registry.TeamOf(key)?.Id;
        if (team is not null)
        {
            return new Reach(team, null, key);
        }

        return new Reach(null, key.Scopes.Allows(KeyScopes.Admin) ? null : key.Id, key);
    }

    /// <summary>True when a row owned by <paramref name="team"/> may be read.</summary>
    public bool CanRead(string? team) => Team is null || string.Equals(Team, team, StringComparison.Ordinal);

    /// <summary>The reach the <c>/api</c> filter recorded for this request.</summary>
    /// <exception cref="InvalidOperationException">No reach was recorded: the endpoint skipped authorisation, which is a bug.</exception>
    public static Reach Of(HttpContext http) =>
        http.Items.TryGetValue(s_itemKey, out var reach) && reach is Reach r ? r : throw new InvalidOperationException("No reach was recorded for this request.");

    public static void Set(HttpContext http, Reach reach) => http.Items[s_itemKey] = reach;
}
