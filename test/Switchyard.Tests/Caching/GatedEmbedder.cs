using Microsoft.Extensions.Time.Testing;
using Switchyard.Caching.Semantic;

namespace Switchyard.Tests.Caching;

/// <summary>
/// The real MiniLM model behind a gate the test opens and closes, so a test can hold an embedding under
/// way; each embedding moves the fake clock on by <c>step</c>, the duration the backlog then measures.
/// </summary>
internal sealed class GatedEmbedder(FakeTimeProvider? time = null, TimeSpan step = default) : ITextEmbedder, IDisposable
{
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private int _entered;
    private int _completed;

    /// <summary>Embeddings started (including those waiting at the gate).</summary>
    public int Entered => Volatile.Read(ref _entered);

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
    }

    public void Close() => _gate.Reset();

    public void Open() => _gate.Set();

    public float[] Embed(string text, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _entered);
        _gate.Wait(cancellationToken);
        var vector = MiniLmEmbedder.Shared.Embed(text, cancellationToken);
        time?.Advance(step);
        Interlocked.Increment(ref _completed);
        return vector;
    }

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
    }
}
