using Microsoft.Extensions.Hosting;

namespace Switchyard.Storage;

/// <summary>
/// A hosted service that drains a queue into the store on its own thread, off the thread pool that
/// serves requests (docs/benchmarks.md: writing from pool threads doubled CPU per call and the p99).
/// </summary>
/// <remarks>
/// The web server finishes in-flight requests in its own StopAsync, which may run after ours; so the
/// queue is completed and drained only in <see cref="StoppedAsync"/>, once every hosted service has
/// stopped and nothing can enqueue any more.
/// </remarks>
internal abstract class DedicatedWriter(string threadName) : IHostedLifecycleService, IDisposable
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private volatile bool _stopping;

    /// <summary>True once the host has stopped: drain what is left without pacing.</summary>
    protected bool Stopping => _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        CompleteQueue();
        if (_thread is not null)
        {
            await _finished.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        CompleteQueue();
        _thread?.Join(TimeSpan.FromSeconds(5));
        GC.SuppressFinalize(this);
    }

    /// <summary>No more items will come: <see cref="Drain"/> returns once the queue is empty.</summary>
    protected abstract void CompleteQueue();

    /// <summary>Writes items until the queue is completed and empty. Runs on the dedicated thread.</summary>
    protected abstract void Drain();

    /// <summary>The writer stopped on an unexpected error: nothing more will be written.</summary>
    protected abstract void OnCrashed(Exception exception);

    private void Run()
    {
        try
        {
            Drain();
        }
        catch (Exception ex)
        {
            OnCrashed(ex);
        }
        finally
        {
            _finished.TrySetResult();
        }
    }
}
