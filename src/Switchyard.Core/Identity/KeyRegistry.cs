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
    private readonly Lock _changes = new();
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

    public IdentityError? CreateTeam(Team team)
    {
        lock (_changes)
        {
            if (_snapshot.Teams.ContainsKey(team.Id))
            {
                return new IdentityError(409, $"A team with id '{team.Id}' already exists.", "already_exists");
            }

            Wait(_store.SaveTeamAsync(team, CancellationToken.None));
            Publish(teams: _snapshot.Teams.Values.Append(team));
            return null;
        }
    }

    public IdentityError? UpdateTeam(Team team)
    {
        lock (_changes)
        {
            if (!_snapshot.Teams.ContainsKey(team.Id))
            {
                return NotFound("team", team.Id);
            }

            Wait(_store.SaveTeamAsync(team, CancellationToken.None));
            Publish(teams: _snapshot.Teams.Values.Where(t => t.Id != team.Id).Append(team));
            return null;
        }
    }

    public IdentityError? DeleteTeam(string id)
    {
        lock (_changes)
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
            var detached = Detach(k => k.TeamId == id, k => k with { TeamId = null });
            Wait(_store.DeleteTeamAsync(id, CancellationToken.None));
            Publish(teams: _snapshot.Teams.Values.Where(t => t.Id != id), keys: detached);
            return null;
        }
    }

    public IdentityError? CreateUser(UserAccount user)
    {
        lock (_changes)
        {
            if (_snapshot.Users.ContainsKey(user.Id))
            {
                return new IdentityError(409, $"A user with id '{user.Id}' already exists.", "already_exists");
            }

            if (MissingTeam(user.TeamId) is { } error)
            {
                return error;
            }

            Wait(_store.SaveUserAsync(user, CancellationToken.None));
            Publish(users: _snapshot.Users.Values.Append(user));
            return null;
        }
    }

    public IdentityError? UpdateUser(UserAccount user)
    {
        lock (_changes)
        {
            if (!_snapshot.Users.ContainsKey(user.Id))
            {
                return NotFound("user", user.Id);
            }

            if (MissingTeam(user.TeamId) is { } error)
            {
                return error;
            }

            Wait(_store.SaveUserAsync(user, CancellationToken.None));
            Publish(users: _snapshot.Users.Values.Where(u => u.Id != user.Id).Append(user));
            return null;
        }
    }

    public IdentityError? DeleteUser(string id)
    {
        lock (_changes)
        {
            if (!_snapshot.Users.ContainsKey(id))
            {
                return NotFound("user", id);
            }

            if (_snapshot.Keys.Values.Any(k => k.UserId == id && k.RevokedAt is null))
            {
                return new IdentityError(409, $"User '{id}' still owns active keys; move or revoke them first.", "in_use");
            }

            var detached = Detach(k => k.UserId == id, k => k with { UserId = null });
            Wait(_store.DeleteUserAsync(id, CancellationToken.None));
            Publish(users: _snapshot.Users.Values.Where(u => u.Id != id), keys: detached);
            return null;
        }
    }

    /// <summary>Stores a new key with a fresh secret; the secret is returned once and never kept.</summary>
    public IdentityError? CreateKey(VirtualKey draft, out VirtualKey created, out string secret)
    {
        secret = KeySecret.Generate();
        created = draft with { SecretHash = KeySecret.Hash(secret), Hint = KeySecret.Hint(secret) };
        lock (_changes)
        {
            if (_snapshot.Keys.ContainsKey(created.Id))
            {
                return new IdentityError(409, $"A key with id '{created.Id}' already exists.", "already_exists");
            }

            if (MissingOwner(created) is { } error)
            {
                return error;
            }

            Wait(_store.SaveKeyAsync(created, CancellationToken.None));
            Publish(keys: _snapshot.Keys.Values.Append(created));
            return null;
        }
    }

    /// <summary>Replaces a key's settings; <paramref name="change"/> sees the current key, under the lock.</summary>
    public IdentityError? UpdateKey(string id, Func<VirtualKey, VirtualKey> change, out VirtualKey? updated)
    {
        updated = null;
        lock (_changes)
        {
            if (!_snapshot.Keys.TryGetValue(id, out var current))
            {
                return NotFound("key", id);
            }

            var next = change(current);
            if (MissingOwner(next) is { } error)
            {
                return error;
            }

            Wait(_store.SaveKeyAsync(next, CancellationToken.None));
            Publish(keys: _snapshot.Keys.Values.Where(k => k.Id != id).Append(next));
            updated = next;
            return null;
        }
    }

    /// <summary>Rewrites (and stores) the revoked keys that match; returns the full new key list.</summary>
    private List<VirtualKey> Detach(Func<VirtualKey, bool> match, Func<VirtualKey, VirtualKey> change)
    {
        var keys = new List<VirtualKey>(_snapshot.Keys.Count);
        foreach (var key in _snapshot.Keys.Values)
        {
            if (match(key))
            {
                var detached = change(key);
                Wait(_store.SaveKeyAsync(detached, CancellationToken.None));
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

    /// <summary>
    /// Changes are written under <see cref="_changes"/> so the store and the snapshot never disagree, and
    /// the admin API calls them synchronously; they are rare, so a store that does real I/O may block here.
    /// A write that fails throws and the snapshot is left as it was.
    /// </summary>
    private static void Wait(Task write) => write.GetAwaiter().GetResult();

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
