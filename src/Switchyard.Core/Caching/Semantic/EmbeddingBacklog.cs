namespace Switchyard.Caching.Semantic;

/// <summary>
/// How long an embedding asked for now would take: the embeddings under way (lookups and the background
/// indexer) times a moving average of recent embedding durations, timed with the injected clock. The
/// inference threads are shared, so on a small machine the embeddings under way effectively run one after
/// another and a new one waits for them all.
/// </summary>
/// <remarks>
/// An estimate rather than a semaphore whose wait is bounded by the budget: a semaphore would make a shed
/// call first spend its whole budget waiting, and a call let through could still spend the budget plus its
/// own embedding. The estimate decides at once, at the cost of one interlocked increment. Calls reserve
/// their place before they look at the count, so a burst arriving together sees every call ahead of it.
/// A batching embedder would slot in behind <see cref="ITextEmbedder"/>; the count then means texts waiting
/// for a batch and the average the time per text.
/// </remarks>
internal sealed class EmbeddingBacklog(TimeProvider time)
{
    /// <summary>The weight of the newest duration: about the last ten embeddings count.</summary>
    private const double Weight = 0.2;

    private readonly Lock _lock = new();
    private int _inFlight;
    private TimeSpan _average;

    /// <summary>Embeddings started and not finished.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The moving average of embedding durations; zero before the first.</summary>
    public TimeSpan Average
    {
        get
        {
            lock (_lock)
            {
                return _average;
            }
        }
    }

    /// <summary>
    /// Embeds <paramref name="text"/> unless the embeddings ahead of it would make it finish later than
    /// <paramref name="budget"/> from now; false (nothing embedded) when it would. A call with nothing
    /// ahead always runs: its own embedding is the least a semantic lookup costs, and shedding it would
    /// also stop the average from ever learning that the model got faster.
    /// </summary>
    public bool TryEmbed(ITextEmbedder embedder, string text, TimeSpan budget, CancellationToken cancellationToken, out float[] vector)
    {
        var ahead = Interlocked.Increment(ref _inFlight) - 1;
        if (ahead > 0 && Average * (ahead + 1) > budget)
        {
            Interlocked.Decrement(ref _inFlight);
            vector = [];
            return false;
        }

        vector = Run(embedder, text, cancellationToken);
        return true;
    }

    /// <summary>Embeds whatever the backlog (the background indexer, which has no caller waiting).</summary>
    public float[] Embed(ITextEmbedder embedder, string text, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        return Run(embedder, text, cancellationToken);
    }

    /// <summary>Runs one embedding already counted in flight, and learns its duration when it succeeds.</summary>
    private float[] Run(ITextEmbedder embedder, string text, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var vector = embedder.Embed(text, cancellationToken);
            var took = time.GetElapsedTime(started);
            lock (_lock)
            {
                _average = _average == TimeSpan.Zero ? took : (took * Weight) + (_average * (1 - Weight));
            }

            return vector;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
