namespace Switchyard.Caching;

/// <summary>What the cache did for one call, for its trace and metrics.</summary>
/// <param name="Outcome"><c>hit</c>, <c>semantic</c>, <c>miss</c> or <c>bypass</c>.</param>
/// <param name="SavedNanoUsd">The upstream cost a hit avoided.</param>
/// <param name="Similarity">For a semantic hit, the cosine similarity of this request's last user turn to the cached one's.</param>
/// <param name="Reason">Why a miss did not look everywhere it could: <c>semantic_shed</c> when the semantic lookup was shed under load.</param>
internal readonly record struct CacheResult(string Outcome, long? SavedNanoUsd = null, double? Similarity = null, string? Reason = null);
