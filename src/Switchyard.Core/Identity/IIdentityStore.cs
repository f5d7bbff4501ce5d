namespace Switchyard.Identity;

/// <summary>
/// Where keys, users and teams are kept. Rows are written whole; <see cref="KeyRegistry"/> holds the live
/// copy that the request path reads, so only loading and changes reach the store.
/// </summary>
internal interface IIdentityStore
{
    Task<StoredIdentities> LoadAllAsync(CancellationToken cancellationToken);

    /// <summary>Inserts the team or replaces every field but its creation time.</summary>
    Task SaveTeamAsync(Team team, CancellationToken cancellationToken);

    /// <summary>Inserts the user or replaces every field but its creation time.</summary>
    Task SaveUserAsync(UserAccount user, CancellationToken cancellationToken);

    /// <summary>Inserts the key or replaces every field but its creation time; its team and user, if any, are stored already.</summary>
    Task SaveKeyAsync(VirtualKey key, CancellationToken cancellationToken);

    /// <summary>Removes the team; a missing one is not an error.</summary>
    Task DeleteTeamAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes the user; a missing one is not an error.</summary>
    Task DeleteUserAsync(string id, CancellationToken cancellationToken);
}
