namespace Switchyard.Caching;

/// <summary>One cached answer, immutable once stored.</summary>
internal sealed class CacheEntry
{
    public required CacheKey Key { get; init; }

    /// <summary>The namespace it was stored in (a key, a team, or global), for invalidation.</summary>
    public required string Space { get; init; }

    public required string ModelGroup { get; init; }

    /// <summary>The answer as a JSON body: as the client got it, or, for a streamed answer, the completion a plain call would have got.</summary>
    public required byte[] Body { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    /// <summary>What the original call cost, which each hit saves; null when it had no price.</summary>
    public long? CostNanoUsd { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset Expires { get; init; }

    /// <summary>Memory the entry holds: its body plus a fixed estimate of the entry and index overhead.</summary>
    public long Bytes => Body.Length + Overhead;

    /// <summary>The entry object, its dictionary slot and LRU node, and the strings it shares.</summary>
    public const int Overhead = 256;
}

/// <summary>
/// The in-process exact cache: a dictionary plus an LRU list under one lock, bounded by entry count and
/// by memory, with a TTL per entry on the gateway's clock. Expired entries are dropped when met and by
/// the LRU as it evicts from the cold end.
/// </summary>
internal sealed class CacheStore(TimeProvider time, int maxEntries, long maxBytes)
{
    private readonly Dictionary<CacheKey, LinkedListNode<CacheEntry>> _entries = [];
    private readonly LinkedList<CacheEntry> _lru = new();
    private readonly Lock _lock = new();
    private long _bytes;
    private long _evictions;

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

    /// <summary>Entries pushed out by the entry or memory bound (not counting expiry or invalidation).</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    public CacheEntry? TryGet(CacheKey key)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            if (node.Value.Expires <= now)
            {
                RemoveNode(node);
                return null;
            }

            _lru.Remove(node);
            _lru.AddFirst(node);
            return node.Value;
        }
    }

    /// <summary>Stores or replaces; false when the entry alone is larger than the memory bound.</summary>
    public bool Set(CacheEntry entry)
    {
        if (entry.Bytes > maxBytes)
        {
            return false;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(entry.Key, out var existing))
            {
                RemoveNode(existing);
            }

            var node = _lru.AddFirst(entry);
            _entries[entry.Key] = node;
            _bytes += entry.Bytes;
            while (_entries.Count > maxEntries || _bytes > maxBytes)
            {
                RemoveNode(_lru.Last!);
                _evictions++;
            }

            return true;
        }
    }

    /// <summary>Removes the entries that match; returns how many.</summary>
    public int Invalidate(Func<CacheEntry, bool> match)
    {
        lock (_lock)
        {
            var doomed = _lru.Where(match).ToList();
            foreach (var entry in doomed)
            {
                RemoveNode(_entries[entry.Key]);
            }

            return doomed.Count;
        }
    }

    private void RemoveNode(LinkedListNode<CacheEntry> node)
    {
        _lru.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Bytes;
    }
}
