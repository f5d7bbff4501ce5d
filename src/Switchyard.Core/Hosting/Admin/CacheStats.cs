namespace Switchyard.Hosting;

/// <summary><c>GET /api/cache</c>: the caches' size and bounds, in all and per model group.</summary>
internal sealed record CacheStats(
    int Entries,
    long MemoryBytes,
    long Evictions,
    int MaxEntries,
    long MaxMemoryBytes,
    string Scope,
    int SemanticEntries,
    double SimilarityThreshold,
    int SemanticIndexQueued,
    long SemanticIndexSkipped,
    long SemanticShed,
    IReadOnlyList<CacheGroupStats> Groups);
