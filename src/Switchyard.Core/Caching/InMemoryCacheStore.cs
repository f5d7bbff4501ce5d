namespace Switchyard.Caching;

/// <summary>
/// The in-process exact cache: a dictionary plus one LRU list per model group under one lock, bounded by
/// entry count and by memory over the whole store and, optionally, per model group, with a TTL per entry
/// on the gateway's clock. Expired entries are dropped when met and by the LRU as it evicts from the cold end.
/// </summary>
/// <remarks>
/// A list per group lets a group's own bound push out that group's least recently used entry at once.
/// The store-wide bound must push out the least recently used entry of all: every store or hit stamps the
/// entry with the next value of one counter, so each list is in stamp order and the oldest entry overall
/// is the oldest of the groups' tails, found by looking at each group rather than at every entry.
/// </remarks>
/// <param name="groupLimits">
/// A group's own entry and memory bounds, asked the first time the group is stored into and kept for the
/// store's life; null when groups have no bounds of their own. It is asked under the store's lock, so it
/// must be a plain look-up that never calls back into the store.
/// </param>
/// <param name="removed">
/// Told once of each entry that leaves: replaced, pushed out by a bound, found expired, or invalidated.
/// It is told after the lock is released, so it may take a lock of its own without an ordering risk; it
/// must not throw, or the entries after the throwing one go untold.
/// </param>
internal sealed class InMemoryCacheStore(
    TimeProvider time,
    int maxEntries,
    long maxBytes,
    Func<string, (int MaxEntries, long MaxBytes)>? groupLimits = null,
    Action<CacheEntry>? removed = null) : ICacheStore
{
    private readonly Dictionary<CacheKey, LinkedListNode<Slot>> _entries = [];
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _bytes;
    private long _evictions;
    private long _clock;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Entries pushed out by an entry or memory bound, the store's or a group's (not counting expiry, invalidation or replacement).</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Entries held for the model group; 0 for a group never stored into.</summary>
    public int CountOf(string group)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(group, out var g) ? g.Lru.Count : 0;
        }
    }

    /// <summary>Each model group stored into: its entries, memory and evictions, for metrics.</summary>
    public List<(string Group, int Entries, long Bytes, long Evictions)> Groups()
    {
        lock (_lock)
        {
            return [.. _groups.Select(g => (g.Key, g.Value.Lru.Count, g.Value.Bytes, g.Value.Evictions))];
        }
    }

    /// <summary>Memory held by the model group's entries, counted as <see cref="Bytes"/> is.</summary>
    public long BytesOf(string group)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(group, out var g) ? g.Bytes : 0;
        }
    }

    public ValueTask<CacheEntry?> GetAsync(CacheKey key, CancellationToken cancellationToken = default) => ValueTask.FromResult(TryGet(key));

    public ValueTask<bool> SetAsync(CacheEntry entry, CancellationToken cancellationToken = default) => ValueTask.FromResult(Set(entry));

    public ValueTask<int> InvalidateAsync(Func<CacheEntry, bool> match, CancellationToken cancellationToken = default) => ValueTask.FromResult(Invalidate(match));

    public CacheEntry? TryGet(CacheKey key)
    {
        var now = time.GetUtcNow();
        CacheEntry? expired;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            if (node.Value.Entry.Expires > now)
            {
                var group = node.Value.Group;
                group.Lru.Remove(node);
                node.Value = node.Value with { Stamp = ++_clock };
                group.Lru.AddFirst(node);
                return node.Value.Entry;
            }

            RemoveNode(node);
            expired = node.Value.Entry;
        }

        removed?.Invoke(expired);
        return null;
    }

    /// <summary>
    /// Stores or replaces; false, leaving the store as it was, when the entry alone is larger than the
    /// store's or its group's memory bound or a bound leaves room for no entry at all, since it could
    /// only be pushed out again at once.
    /// </summary>
    public bool Set(CacheEntry entry)
    {
        if (entry.Bytes > maxBytes || maxEntries < 1)
        {
            return false;
        }

        List<CacheEntry>? gone = null;
        lock (_lock)
        {
            var group = GroupOf(entry.ModelGroup);
            if (entry.Bytes > group.MaxBytes || group.MaxEntries < 1)
            {
                return false;
            }

            if (_entries.TryGetValue(entry.Key, out var existing))
            {
                RemoveNode(existing);
                Note(ref gone, existing.Value.Entry);
            }

            _entries[entry.Key] = group.Lru.AddFirst(new Slot(entry, group, ++_clock));
            group.Bytes += entry.Bytes;
            _bytes += entry.Bytes;

            // The new entry is the newest of its group and of the store and fits both bounds alone, so
            // neither loop reaches it.
            while (group.Lru.Count > group.MaxEntries || group.Bytes > group.MaxBytes)
            {
                Evict(group.Lru.Last!, ref gone);
            }

            while (_entries.Count > maxEntries || _bytes > maxBytes)
            {
                Evict(OldestTail(), ref gone);
            }
        }

        Tell(gone);
        return true;
    }

    /// <summary>Removes the entries that match; returns how many.</summary>
    public int Invalidate(Func<CacheEntry, bool> match)
    {
        List<CacheEntry> doomed;
        lock (_lock)
        {
            doomed = [.. _entries.Values.Select(n => n.Value.Entry).Where(match)];
            foreach (var entry in doomed)
            {
                RemoveNode(_entries[entry.Key]);
            }
        }

        Tell(doomed);
        return doomed.Count;
    }

    private Group GroupOf(string name)
    {
        if (!_groups.TryGetValue(name, out var group))
        {
            var (entries, bytes) = groupLimits?.Invoke(name) ?? (int.MaxValue, long.MaxValue);
            _groups[name] = group = new Group(entries, bytes);
        }

        return group;
    }

    /// <summary>The least recently used entry of the store: the oldest stamp among the groups' tails.</summary>
    private LinkedListNode<Slot> OldestTail()
    {
        LinkedListNode<Slot>? oldest = null;
        foreach (var group in _groups.Values)
        {
            if (group.Lru.Last is { } tail && (oldest is null || tail.Value.Stamp < oldest.Value.Stamp))
            {
                oldest = tail;
            }
        }

        return oldest!;
    }

    private void Evict(LinkedListNode<Slot> node, ref List<CacheEntry>? gone)
    {
        RemoveNode(node);
        _evictions++;
        node.Value.Group.Evictions++;
        Note(ref gone, node.Value.Entry);
    }

    private void RemoveNode(LinkedListNode<Slot> node)
    {
        var (entry, group, _) = node.Value;
        group.Lru.Remove(node);
        group.Bytes -= entry.Bytes;
        _entries.Remove(entry.Key);
        _bytes -= entry.Bytes;
    }

    /// <summary>Keeps a leaving entry for <see cref="Tell"/>; nothing is kept when no one listens.</summary>
    private void Note(ref List<CacheEntry>? gone, CacheEntry entry)
    {
        if (removed is not null)
        {
            (gone ??= []).Add(entry);
        }
    }

    /// <summary>Called outside the lock only.</summary>
    private void Tell(List<CacheEntry>? gone)
    {
        if (removed is null || gone is null)
        {
            return;
        }

        foreach (var entry in gone)
        {
            removed(entry);
        }
    }

    /// <summary>An entry in its group's list, with the <see cref="_clock"/> value of its last store or hit.</summary>
    private readonly record struct Slot(CacheEntry Entry, Group Group, long Stamp);

    /// <summary>A model group's own bounds, its entries from most to least recently used, and their memory.</summary>
    private sealed class Group(int maxEntries, long maxBytes)
    {
        public int MaxEntries { get; } = maxEntries;

        public long MaxBytes { get; } = maxBytes;

        public LinkedList<Slot> Lru { get; } = new();

        public long Bytes { get; set; }

        public long Evictions { get; set; }
    }
}
