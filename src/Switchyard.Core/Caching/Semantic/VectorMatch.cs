namespace Switchyard.Caching.Semantic;

/// <summary>A cached request whose embedding lies near the one looked up.</summary>
/// <param name="Entry">The exact-cache key of the stored answer.</param>
/// <param name="Similarity">Cosine similarity of the two embeddings.</param>
internal readonly record struct VectorMatch(CacheKey Entry, float Similarity);
