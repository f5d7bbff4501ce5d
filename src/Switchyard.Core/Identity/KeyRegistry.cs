using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Switchyard.Identity;

/// <summary>
/// The live set of keys, users and teams. Reads (every gateway call) see an immutable snapshot without
/// locking; changes are serialised, written to the store first, then published as a new snapshot, so
/// a revoked key stops working as soon as the API call that revoked it returns.
/// </summary>
internal sealed class KeyRegistry
{
    private readonly IIdentityStore _store;
    /// <summary>One change at a time, so the store and the snapshot never disagree; a semaphore, as changes await the store.</summary>
    private readonly SemaphoreSlim _changes = new(1, 1);
    private volatile Snapshot _snapshot;

    public KeyRegistry(IIdentityStore store)
    {
        _store = store;
        // Loaded once, before the first request: the singleton is built while the host starts.
        var stored = Wait(store.LoadAllAsync(CancellationToken.None));
        _snapshot = new Snapshot([.. stored.Teams], [.. stored.Users], [.. stored.Keys]);
    }

    /// <summary>
    /// True once any key was created, revoked ones included: anonymous local use ends with the first key
    /// and does not come back by revoking them (a revoked key must get 401, not be let in anonymously).
    /// </summary>
    public bool HasKeys => _snapshot.HasKeys;

    public IReadOnlyCollection<VirtualKey> Keys => _snapshot.Keys.Values;

    public IReadOnlyCollection<Team> Teams => _snapshot.Teams.Values;

    public IReadOnlyCollection<UserAccount> Users => _snapshot.Users.Values;

    public VirtualKey? FindKey(string id) => _snapshot.Keys.GetValueOrDefault(id);

    public Team? FindTeam(string? id) => id is null ? null : _snapshot.Teams.GetValueOrDefault(id);

    public UserAccount? FindUser(string? id) => id is null ? null : _snapshot.Users.GetValueOrDefault(id);

    /// <summary>
    /// Looks a presented secret up by its SHA-256. The lookup's timing can only depend on the hash,
    /// which an attacker cannot steer towards a stored one; the final comparison is constant-time.
    /// </summary>
    public KeyCheck Check(ReadOnlySpan<char> presented, DateTimeOffset now, out VirtualKey? key) => Check(KeySecret.Hash(presented), now, out key);

    public KeyCheck Check(in SecretHash hash, DateTimeOffset now, out VirtualKey? key)
    {
        key = null;
        if (!_snapshot.BySecret.TryGetValue(hash, out var entry))
        {
            return KeyCheck.Unknown;
        }

        var stored = entry.IsPrevious ? entry.Key.PreviousHash!.Value : entry.Key.SecretHash;
        if (!stored.FixedTimeEquals(hash))
        {
            return KeyCheck.Unknown;
        }

        key = entry.Key;
        if (key.RevokedAt is not null)
        {
            return KeyCheck.Revoked;
        }

        if (key.ExpiresAt is { } expires && now >= expires)
        {
            return KeyCheck.Expired;
        }

        if (entry.IsPrevious && (key.PreviousValidUntil is not { } until || now >= until))
        {
            return KeyCheck.RotatedOut;
        }

        return KeyCheck.Valid;
    }

    /// <summary>The team a key's limits roll up to: its own, else its user's.</summary>
    public Team? TeamOf(VirtualKey key) => FindTeam(key.TeamId ?? FindUser(key.UserId)?.TeamId);

    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public async Task<IdentityError?> CreateTeamAsync(Team team, CancellationToken cancellationToken = default)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_snapshot.Teams.ContainsKey(team.Id))
            {
                return new IdentityError(409, $"A team with id '{team.Id}' already exists.", "already_exists");
            }

            await _store.SaveTeamAsync(team, CancellationToken.None).ConfigureAwait(false);
            Publish(teams: _snapshot.Teams.Values.Append(team));
            return null;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<IdentityError?> UpdateTeamAsync(Team team, CancellationToken cancellationToken = default)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_snapshot.Teams.ContainsKey(team.Id))
            {
                return NotFound("team", team.Id);
            }

            await _store.SaveTeamAsync(team, CancellationToken.None).ConfigureAwait(false);
            Publish(teams: _snapshot.Teams.Values.Where(t => t.Id != team.Id).Append(team));
            return null;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<IdentityError?> DeleteTeamAsync(string id, CancellationToken cancellationToken = default)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_snapshot.Teams.ContainsKey(id))
            {
                return NotFound("team", id);
            }

            if (_snapshot.Users.Values.Any(u => u.TeamId == id) || _snapshot.Keys.Values.Any(k => k.TeamId == id && k.RevokedAt is null))
            {
                return new IdentityError(409, $"Team '{id}' still has users or active keys; move them or revoke the keys first.", "in_use");
            }

            // Revoked keys keep their history (spend rows keep the team id) but let go of the team.
            var detached = await DetachAsync(k => k.TeamId == id, k => k with { TeamId = null });
            await _store.DeleteTeamAsync(id, CancellationToken.None).ConfigureAwait(false);
            Publish(teams: _snapshot.Teams.Values.Where(t => t.Id != id), keys: detached);
            return null;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<IdentityError?> CreateUserAsync(UserAccount user, CancellationToken cancellationToken = default)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_snapshot.Users.ContainsKey(user.Id))
            {
                return new IdentityError(409, $"A user with id '{user.Id}' already exists.", "already_exists");
            }

            if (MissingTeam(user.TeamId) is { } error)
            {
                return error;
            }

            await _store.SaveUserAsync(user, CancellationToken.None).ConfigureAwait(false);
            Publish(users: _snapshot.Users.Values.Append(user));
            return null;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<IdentityError?> UpdateUserAsync(UserAccount user, CancellationToken cancellationToken = default)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_snapshot.Users.ContainsKey(user.Id))
            {
                return NotFound("user", user.Id);
            }

            if (MissingTeam(user.TeamId) is { } error)
            {
                return error;
            }

            await _store.SaveUserAsync(user, CancellationToken.None).ConfigureAwait(false);
            Publish(users: _snapshot.Users.Values.Where(u => u.Id != user.Id).Append(user));
            return null;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<IdentityError?> DeleteUserAsync(string id, CancellationToken cancellationToken = default)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_snapshot.Users.ContainsKey(id))
            {
                return NotFound("user", id);
            }

            if (_snapshot.Keys.Values.Any(k => k.UserId == id && k.RevokedAt is null))
            {
                return new IdentityError(409, $"User '{id}' still owns active keys; move or revoke them first.", "in_use");
            }

            var detached = await DetachAsync(k => k.UserId == id, k => k with { UserId = null });
            await _store.DeleteUserAsync(id, CancellationToken.None).ConfigureAwait(false);
            Publish(users: _snapshot.Users.Values.Where(u => u.Id != id), keys: detached);
            return null;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Stores a new key with a fresh secret; the secret is returned once and never kept.</summary>
    public async Task<KeyCreation> CreateKeyAsync(VirtualKey draft, CancellationToken cancellationToken = default)
    {
        var secret = KeySecret.Generate();
        var created = draft with { SecretHash = KeySecret.Hash(secret), Hint = KeySecret.Hint(secret) };
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_snapshot.Keys.ContainsKey(created.Id))
            {
                return new KeyCreation(new IdentityError(409, $"A key with id '{created.Id}' already exists.", "already_exists"), null, null);
            }

            if (MissingOwner(created) is { } error)
            {
                return new KeyCreation(error, null, null);
            }

            // Read under the lock, so of two keys created at once exactly one is the first.
            var first = !_snapshot.HasKeys;
            await _store.SaveKeyAsync(created, CancellationToken.None).ConfigureAwait(false);
            Publish(keys: _snapshot.Keys.Values.Append(created));
            return new KeyCreation(null, created, secret, first);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Replaces a key's settings; <paramref name="change"/> sees the current key, under the lock.</summary>
    public async Task<(IdentityError? Failure, VirtualKey? Updated)> UpdateKeyAsync(string id, Func<VirtualKey, VirtualKey> change, CancellationToken cancellationToken = default)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_snapshot.Keys.TryGetValue(id, out var current))
            {
                return (NotFound("key", id), null);
            }

            var next = change(current);
            if (MissingOwner(next) is { } error)
            {
                return (error, null);
            }

            await _store.SaveKeyAsync(next, CancellationToken.None).ConfigureAwait(false);
            Publish(keys: _snapshot.Keys.Values.Where(k => k.Id != id).Append(next));
            return (null, next);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Rewrites (and stores) the revoked keys that match; returns the full new key list.</summary>
    private async Task<List<VirtualKey>> DetachAsync(Func<VirtualKey, bool> match, Func<VirtualKey, VirtualKey> change)
    {
        var keys = new List<VirtualKey>(_snapshot.Keys.Count);
        foreach (var key in _snapshot.Keys.Values)
        {
            if (match(key))
            {
                var detached = change(key);
                await _store.SaveKeyAsync(detached, CancellationToken.None).ConfigureAwait(false);
                keys.Add(detached);
            }
            else
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private IdentityError? MissingOwner(VirtualKey key)
    {
        if (key.UserId is { } user && !_snapshot.Users.ContainsKey(user))
        {
            return new IdentityError(400, $"user: no user with id '{user}' (create it with POST /api/users).", "unknown_user");
        }

        return MissingTeam(key.TeamId);
    }

    private IdentityError? MissingTeam(string? team) => team is not null && !_snapshot.Teams.ContainsKey(team)
        ? new IdentityError(400, $"team: no team with id '{team}' (create it with POST /api/teams).", "unknown_team")
        : null;

    /// <summary>The snapshot is loaded once, at start, before the gateway serves: the one place that waits on the store.</summary>
    private static T Wait<T>(Task<T> read) => read.GetAwaiter().GetResult();

    private static IdentityError NotFound(string what, string id) => new(404, $"No {what} with id '{id}'.", "not_found");

    private void Publish(IEnumerable<Team>? teams = null, IEnumerable<UserAccount>? users = null, IEnumerable<VirtualKey>? keys = null)
    {
        var current = _snapshot;
        _snapshot = new Snapshot(
            (teams ?? current.Teams.Values).ToList(),
            (users ?? current.Users.Values).ToList(),
            (keys ?? current.Keys.Values).ToList());
    }

    private sealed class Snapshot
    {
        public Snapshot(List<Team> teams, List<UserAccount> users, List<VirtualKey> keys)
        {
            Teams = teams.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
            Users = users.ToFrozenDictionary(u => u.Id, StringComparer.Ordinal);
            Keys = keys.ToFrozenDictionary(k => k.Id, StringComparer.Ordinal);
            var bySecret = new Dictionary<SecretHash, (VirtualKey, bool)>();
            foreach (var key in keys)
            {
                bySecret[key.SecretHash] = (key, false);
                if (key.PreviousHash is { } previous)
                {
                    bySecret.TryAdd(previous, (key, true));
                }
            }

            BySecret = bySecret.ToFrozenDictionary();
            HasKeys = keys.Count > 0;
        }

        public FrozenDictionary<string, Team> Teams { get; }

        public FrozenDictionary<string, UserAccount> Users { get; }

        public FrozenDictionary<string, VirtualKey> Keys { get; }

        public FrozenDictionary<SecretHash, (VirtualKey Key, bool IsPrevious)> BySecret { get; }

        public bool HasKeys { get; }
    }
}
