namespace Switchyard.Dashboard.Sessions;

/// <summary>
/// Where dashboard sessions live on the server, so that signing out, idling out or revoking ends a
/// session even for a copy of its cookie. Every implementation passes <c>DashboardSessionStoreContract</c>.
/// </summary>
internal interface IDashboardSessionStore
{
    Task CreateAsync(DashboardSession session, CancellationToken cancellationToken);

    /// <summary>The session with this id hash, or null when there is none (never created, ended, or purged).</summary>
    Task<DashboardSession?> FindAsync(string idHash, CancellationToken cancellationToken);

    /// <summary>Records activity; a session that no longer exists stays gone.</summary>
    Task TouchAsync(string idHash, DateTimeOffset lastSeenAt, CancellationToken cancellationToken);

    Task DeleteAsync(string idHash, CancellationToken cancellationToken);

    /// <summary>Removes sessions past their lifetime, or last seen before <paramref name="idleBefore"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, DateTimeOffset idleBefore, CancellationToken cancellationToken);
}
