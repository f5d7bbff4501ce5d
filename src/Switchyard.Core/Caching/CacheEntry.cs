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

    /// <summary>For the semantic cache: the last user turn this answers, which the match vetoes read.</summary>
    public string? Prompt { get; init; }

    /// <summary>For the semantic cache: the scope its vector is indexed under; null when it has none.</summary>
    public CacheKey? SemanticScope { get; init; }

    /// <summary>Memory the entry holds: its body, its prompt and vector when it has them, plus a fixed estimate of the entry and index overhead.</summary>
    public long Bytes => Body.Length + Overhead + (SemanticScope is null ? 0 : (Prompt?.Length ?? 0) * 2 + SemanticOverhead);

    /// <summary>The entry object, its dictionary slot and LRU node, and the strings it shares.</summary>
    public const int Overhead = 320;

    /// <summary>An indexed vector: 384 bytes, 48 sign bytes, its scale, key and slot (measured: about 720 bytes with the arrays' slack).</summary>
    public const int SemanticOverhead = 720;
}
