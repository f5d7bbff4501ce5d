namespace Switchyard.Caching.Semantic;

/// <summary>What a semantic lookup found: the cached answer to serve and its similarity, or none, and whether it was shed.</summary>
/// <param name="Entry">The answer to serve; null for a miss.</param>
/// <param name="Similarity">For a hit, the cosine similarity of the request's last user turn to the cached one's.</param>
/// <param name="Shed">True when the lookup was not made because the embedder's backlog exceeded the budget.</param>
internal readonly record struct SemanticLookup(CacheEntry? Entry, float Similarity, bool Shed)
{
    public static SemanticLookup Miss => default;

    public static SemanticLookup LoadShed => new(null, 0, Shed: true);
}
