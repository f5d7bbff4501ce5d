using System.Text.Json;
using Switchyard.Embeddings;

namespace Switchyard.Caching.Semantic;

/// <summary>
/// What the semantic cache compares for one chat request: the text of its last user turn, and the scope
/// everything else must match exactly (namespace, model group, system prompt, earlier turns, tools and
/// every parameter). The vector is the call's own <see cref="TurnEmbedding"/>: computed once, whether by
/// this cache or a stage before it, and reused by a miss that stores.
/// </summary>
internal sealed class SemanticQuery(CacheKey scope, TurnEmbedding turn)
{
    public CacheKey Scope { get; } = scope;

    public TurnEmbedding Turn { get; } = turn;

    public string Text => Turn.Text;

    public float[]? Vector
    {
        get => Turn.Vector;
        set => Turn.Vector = value;
    }

    /// <summary>
    /// The query of a chat completions request, or null with why not: the last message is not the user's,
    /// holds more than text, is empty, or is longer than the embedding model reads. <paramref name="known"/>
    /// is the call's turn when a stage before the cache already took it out (and perhaps embedded it).
    /// </summary>
    public static SemanticQuery? Of(JsonElement root, string space, string modelGroup, string api, ITextEmbedder embedder, TurnEmbedding? known, out string? skipped)
    {
        skipped = null;
        if ((known ?? TurnEmbedding.Of(root, out skipped)) is not { } turn)
        {
            return null;
        }

        // English averages about four characters a word piece; a text ten times longer than the window
        // could hold is refused without tokenizing it (a huge body must not cost a huge tokenization).
        var text = turn.Text;
        if (text.Length > embedder.WindowTokens * 40 || embedder.CountTokens(text) > embedder.WindowTokens)
        {
            skipped = "beyond_window";
            return null;
        }

        return CacheKey.Scope(space, modelGroup, api, root) is { } scope ? new SemanticQuery(scope, turn) : null;
    }
}
