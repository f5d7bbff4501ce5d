namespace Switchyard.Caching.Semantic;

/// <summary>
/// Where the semantic cache keeps its embeddings, partitioned by scope (the hash of everything in a
/// request but its last user turn, tenant namespace included): a lookup never sees another scope. The
/// embedded mode uses the in-process <see cref="VectorIndex"/>; a shared store (pgvector, Redis) can
/// implement the same calls for a cluster, hence the asynchronous shape.
/// </summary>
internal interface IVectorIndex
{
    int Count { get; }

    /// <summary>
    /// True when <paramref name="scope"/> holds at least one vector. Must be cheap (no scan): the semantic
    /// cache asks it before every lookup, so a request whose scope has nothing to compare with (a new
    /// conversation, a unique system prompt) skips its embedding altogether.
    /// </summary>
    ValueTask<bool> AnyAsync(CacheKey scope, CancellationToken cancellationToken);

    /// <summary>Adds or replaces the vector stored for <paramref name="entry"/> in <paramref name="scope"/>.</summary>
    ValueTask AddAsync(CacheKey scope, CacheKey entry, ReadOnlyMemory<float> vector, CancellationToken cancellationToken);

    ValueTask RemoveAsync(CacheKey scope, CacheKey entry, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> entries of the scope with a similarity of at least
    /// <paramref name="minSimilarity"/>, most similar first.
    /// </summary>
    ValueTask<IReadOnlyList<VectorMatch>> NearestAsync(CacheKey scope, ReadOnlyMemory<float> vector, float minSimilarity, int max, CancellationToken cancellationToken);
}
