using System.Collections.Frozen;

namespace Switchyard.Prompts.Traffic;

/// <summary>
/// The running splits, held in memory by prompt label for the request path. Read from the store on first
/// use and again whenever a split or a prompt changes (<see cref="Serving.PromptChangeFeed"/>), and at
/// least every <see cref="Refresh"/>, so a change made by another gateway sharing the store heals too.
/// </summary>
internal sealed class TrafficSplits : IDisposable
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    private readonly IPromptTrafficStore _store;
    private readonly Serving.PromptChangeFeed _changes;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;

    public TrafficSplits(IPromptTrafficStore store, Serving.PromptChangeFeed changes, TimeProvider time)
    {
        _store = store;
        _changes = changes;
        _time = time;
        _changes.Changed += Forget;
    }

    /// <summary>The split running on the prompt's label, or null.</summary>
    public ValueTask<TrafficSplit?> ForAsync(string prompt, string label, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && _time.GetUtcNow() - snapshot.LoadedAt < Refresh)
        {
            return ValueTask.FromResult(snapshot.Splits.GetValueOrDefault((prompt, label)));
        }

        return LoadAndFindAsync(prompt, label, cancellationToken);
    }

    public void Dispose()
    {
        _changes.Changed -= Forget;
        _loading.Dispose();
    }

    private async ValueTask<TrafficSplit?> LoadAndFindAsync(string prompt, string label, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = _snapshot;
            if (snapshot is null || _time.GetUtcNow() - snapshot.LoadedAt >= Refresh)
            {
                var loadedAt = _time.GetUtcNow();
                var running = await _store.RunningAsync(cancellationToken).ConfigureAwait(false);
                snapshot = new Snapshot(running.ToFrozenDictionary(s => (s.Prompt, s.Label)), loadedAt);
                _snapshot = snapshot;
            }

            return snapshot.Splits.GetValueOrDefault((prompt, label));
        }
        finally
        {
            _loading.Release();
        }
    }

    private void Forget(string prompt) => _snapshot = null;

    private sealed record Snapshot(FrozenDictionary<(string Prompt, string Label), TrafficSplit> Splits, DateTimeOffset LoadedAt);
}
