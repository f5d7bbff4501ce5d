namespace Switchyard.Embeddings;

/// <summary>
/// One text waiting for <see cref="EmbeddingBatcher"/>'s worker. A caller that gives up while it waits gets
/// its cancellation at once and the worker leaves the text out; once its run has started it is seen through
/// (the other texts of the run need it anyway).
/// </summary>
internal sealed class PendingEmbedding
{
    private const int Waiting = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    // Continuations run on the thread pool, never on the worker: callers must not delay the next run.
    private readonly TaskCompletionSource<float[]> _vector = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _registration;
    private int _state;

    public PendingEmbedding(string text, CancellationToken cancellationToken)
    {
        Text = text;
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(() =>
            {
                if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
                {
                    _vector.TrySetCanceled(cancellationToken);
                }
            });
        }
    }

    public string Text { get; }

    public Task<float[]> Vector => _vector.Task;

    /// <summary>Claims the text for a run; false when its caller already gave up.</summary>
    public bool TryStart()
    {
        var started = Interlocked.CompareExchange(ref _state, Started, Waiting) == Waiting;
        _registration.Dispose();
        return started;
    }

    public void Complete(float[] vector) => _vector.TrySetResult(vector);

    public void Fail(Exception exception) => _vector.TrySetException(exception);

    /// <summary>The batcher stops: a text that never ran ends as cancelled.</summary>
    public void Cancel()
    {
        Interlocked.Exchange(ref _state, Cancelled);
        _registration.Dispose();
        _vector.TrySetCanceled();
    }
}
