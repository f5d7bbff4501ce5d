using Microsoft.Extensions.Time.Testing;
using Switchyard.Caching.Semantic;
using Switchyard.Embeddings;

namespace Switchyard.Tests.Caching;

/// <summary>
/// The real MiniLM model behind a gate the test opens and closes, so a test can hold an embedding under
/// way; each run of the model moves the fake clock on by <c>step</c> plus <c>perText</c> for each of its texts,
/// the duration the batcher then measures.
/// </summary>
internal sealed class GatedEmbedder(FakeTimeProvider? time = null, TimeSpan step = default, TimeSpan perText = default) : ITextEmbedder, IDisposable
{
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string[]> _batches = new();
    private int _entered;
    private int _completed;
    private int _runs;

    /// <summary>Embeddings started (including those waiting at the gate).</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>Runs of the model (a batch of texts is one run).</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>The texts of each run, in the order the runs started.</summary>
    public IReadOnlyList<string[]> Batches => [.. _batches];

    /// <summary>Embeddings finished.</summary>
    public int Completed => Volatile.Read(ref _completed);

    public int Dimensions => MiniLmEmbedder.VectorDimensions;

    public int WindowTokens => MiniLmEmbedder.Shared.WindowTokens;

    public int CountTokens(string text) => MiniLmEmbedder.Shared.CountTokens(text);

    /// <summary>Starts the counts again (after the start-up warm-up embedding).</summary>
    public void ResetCounts()
    {
        Interlocked.Exchange(ref _entered, 0);
        Interlocked.Exchange(ref _completed, 0);
        Interlocked.Exchange(ref _runs, 0);
        _batches.Clear();
    }

    public void Close() => _gate.Reset();

    public void Open() => _gate.Set();

    public float[] Embed(string text, CancellationToken cancellationToken) => EmbedBatch([text], cancellationToken)[0];

    /// <summary>One run, however many texts: the gate is passed once and the clock moves on once.</summary>
    public float[][] EmbedBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _entered, texts.Count);
        Interlocked.Increment(ref _runs);
        _batches.Enqueue([.. texts]);
        _gate.Wait(cancellationToken);
        var vectors = MiniLmEmbedder.Shared.EmbedBatch(texts, cancellationToken);
        time?.Advance(step + (perText * texts.Count));
        Interlocked.Add(ref _completed, texts.Count);
        return vectors;
    }

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
    }
}
