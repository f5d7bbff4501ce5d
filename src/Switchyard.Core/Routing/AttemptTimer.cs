namespace Switchyard.Routing;

/// <summary>
/// The clock of one attempt: a cancellation token that fires at the first of the attempt's total
/// deadline and the current phase's limit (first byte of a stream, then silence between chunks), or
/// when the client goes. <see cref="Expired"/> says which limit fired.
/// </summary>
/// <remarks>One timer, re-armed per phase; it runs on the gateway's <see cref="TimeProvider"/>, so tests can drive it.</remarks>
internal sealed class AttemptTimer : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly CancellationTokenRegistration _client;
    private readonly TimeProvider _time;
    private readonly long _totalDeadline;
    private FailureReason _armedFor = FailureReason.Timeout;
    private bool _armed;

    public AttemptTimer(TimeProvider time, TimeSpan total, CancellationToken client)
    {
        _time = time;
        _cts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _client = client.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _cts);
        _totalDeadline = time.GetTimestamp() + (long)(total.TotalSeconds * time.TimestampFrequency);
        Arm(null, FailureReason.Timeout);
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>Which limit fired: <see cref="FailureReason.Timeout"/>, or the phase's own.</summary>
    public FailureReason Expired => _armedFor;

    /// <summary>Streams: the first byte must come within <paramref name="limit"/>.</summary>
    public void ArmFirstByte(TimeSpan? limit) => Arm(limit, FailureReason.FirstTokenTimeout);

    /// <summary>Streams: the next chunk must come within <paramref name="limit"/>.</summary>
    public void ArmIdle(TimeSpan? limit) => Arm(limit, FailureReason.IdleTimeout);

    public void Dispose()
    {
        _client.Dispose();
        _cts.Dispose();
    }

    private void Arm(TimeSpan? phase, FailureReason phaseReason)
    {
        if (_cts.IsCancellationRequested)
        {
            return; // Fired already: keep the reason it fired for.
        }

        if (phase is null && _armedFor == FailureReason.Timeout && _armed)
        {
            return; // Already counting down the total: a stream without idle_timeout re-arms nothing per chunk.
        }

        _armed = true;

        var totalLeft = _time.GetElapsedTime(_time.GetTimestamp(), _totalDeadline);
        if (totalLeft < TimeSpan.Zero)
        {
            totalLeft = TimeSpan.Zero;
        }

        if (phase is { } limit && limit < totalLeft)
        {
            _armedFor = phaseReason;
            _cts.CancelAfter(limit);
        }
        else
        {
            _armedFor = FailureReason.Timeout;
            _cts.CancelAfter(totalLeft);
        }
    }
}
