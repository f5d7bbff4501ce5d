namespace Switchyard.Hosting;

/// <summary>One model group in <c>GET /api/cache</c>: which caches serve it, its entries and its bounds.</summary>
internal sealed record CacheGroupStats(string ModelGroup, bool Exact, bool Semantic, double TtlSeconds, int Entries, long MemoryBytes, int MaxEntries, long MaxMemoryBytes);
