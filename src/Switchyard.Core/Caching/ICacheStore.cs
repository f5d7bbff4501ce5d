namespace Switchyard.Caching;

/// <summary>
/// Where the exact cache keeps its answers (and the answers the semantic index points at). In one
/// process: <see cref="InMemoryCacheStore"/>. In cluster mode a shared store (Redis) takes its place, so
/// an answer cached by one instance is a hit on another.
/// </summary>
/// <remarks>
/// Reads and writes are async because a shared store does I/O; the in-process one completes them
/// synchronously, at no allocation. The figures (entries, memory, evictions) are what this instance
/// can see cheaply: a shared store reports the counters it keeps, never a scan.
/// </remarks>
internal interface ICacheStore
{
    /// <summary>The live entry for <paramref name="key"/>; null when absent or expired (an expired one is dropped).</summary>
    ValueTask<CacheEntry?> GetAsync(CacheKey key, CancellationToken cancellationToken = default);

    /// <summary>Stores or replaces; false, leaving the store as it was, when the entry can never fit its bounds.</summary>
    ValueTask<bool> SetAsync(CacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the entries that match (an operator's invalidation, not the request path); returns how many.</summary>
    ValueTask<int> InvalidateAsync(Func<CacheEntry, bool> match, CancellationToken cancellationToken = default);

    int Count { get; }

    long Bytes { get; }

    long Evictions { get; }

    int CountOf(string group);

    long BytesOf(string group);

    /// <summary>Per model group: entries, memory and evictions.</summary>
    List<(string Group, int Entries, long Bytes, long Evictions)> Groups();
}
