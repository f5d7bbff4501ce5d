using System.Buffers;
using System.IO.Pipelines;

namespace Switchyard.Providers.Sandbox;

/// <summary>
/// The body of a simulated stream: a pipe a background task fills one event at a time, pausing as a model
/// would, so a reader gets each event when it is produced. Disposing it (with the response) or cancelling
/// the call's token stops production; a cut stream ends with an <see cref="IOException"/> on the reader
/// (see <see cref="SandboxStreamBody"/>).
/// </summary>
internal sealed class SandboxEventStream : IDisposable
{
    private readonly Pipe _pipe = new(new PipeOptions(useSynchronizationContext: false));
    private readonly IReadOnlyList<SandboxEvent> _events;
    private readonly int _cutAfter;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _token;
    private volatile bool _wasCut;

    private SandboxEventStream(IReadOnlyList<SandboxEvent> events, int cutAfter, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _events = events;
        _cutAfter = cutAfter;
        _timeProvider = timeProvider;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _token = _stop.Token;
        Body = new SandboxStreamBody(_pipe.Reader.AsStream(), () => _wasCut);
    }

    public Stream Body { get; }

    /// <summary>
    /// Starts producing <paramref name="events"/>. With <paramref name="cutAfter"/> ≥ 0 the reader fails after that
    /// many events (at the latest before the last one, so a cut stream never looks complete).
    /// </summary>
    public static SandboxEventStream Start(IReadOnlyList<SandboxEvent> events, int cutAfter, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        int cut = cutAfter < 0 ? -1 : Math.Min(cutAfter, events.Count - 1);
        SandboxEventStream stream = new(events, cut, timeProvider, cancellationToken);

        // The first pause starts here, not on the pool, so a test clock advanced right after the call counts it.
        Task firstDelay = events.Count > 0 ? stream.DelayBefore(0) : Task.CompletedTask;
        _ = Task.Run(() => stream.ProduceAsync(firstDelay), CancellationToken.None);
        return stream;
    }

    public void Dispose()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Production already finished and released the source.
        }
    }

    private async Task ProduceAsync(Task firstDelay)
    {
        PipeWriter writer = _pipe.Writer;
        Exception? failure = null;
        try
        {
            Task pause = firstDelay;
            for (int i = 0; i < _events.Count; i++)
            {
                await pause.ConfigureAwait(false);
                if (i == _cutAfter)
                {
                    // Set before the pipe completes, so the reader sees it when it reaches the end.
                    _wasCut = true;
                    return;
                }

                writer.Write(_events[i].Bytes);

                // The next pause starts before this event is visible, so whoever has read it can advance a
                // test clock past the pause without racing this task.
                pause = i + 1 < _events.Count ? DelayBefore(i + 1) : Task.CompletedTask;
                FlushResult flushed = await writer.FlushAsync(_token).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception e)
        {
            // Cancellation included: the reader sees why the stream ended instead of a clean end.
            failure = e;
        }
        finally
        {
            await writer.CompleteAsync(failure).ConfigureAwait(false);
            _stop.Dispose();
        }
    }

    private Task DelayBefore(int index)
    {
        TimeSpan delay = _events[index].DelayBefore;
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _timeProvider, _token);
    }
}
