using System.Threading.Channels;
using Switchyard.Configuration;

namespace Switchyard.Recording;

/// <summary>
/// The bounded queue between the request path and the store. Enqueueing never waits on the store:
/// in <see cref="OverflowMode.Drop"/> a full queue drops the record at once; in
/// <see cref="OverflowMode.Wait"/> it waits up to <see cref="RecordingOptions.MaxWait"/>. Every drop is counted.
/// </summary>
internal sealed class CallRecorder
{
    private readonly Channel<CallRecord> _channel;
    private readonly RecordingOptions _options;
    private long _enqueued;
    private long _dropped;

    public CallRecorder(RecordingOptions options)
    {
        _options = options;
        _channel = Channel.CreateBounded<CallRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public long Enqueued => Interlocked.Read(ref _enqueued);

    public long Dropped => Interlocked.Read(ref _dropped);

    public int Depth => _channel.Reader.Count;

    public int Capacity => _options.QueueCapacity;

    internal ChannelReader<CallRecord> Reader => _channel.Reader;

    public ValueTask RecordAsync(CallRecord record)
    {
        if (_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _enqueued);
            return ValueTask.CompletedTask;
        }

        if (_options.Overflow == OverflowMode.Drop)
        {
            Interlocked.Increment(ref _dropped);
            return ValueTask.CompletedTask;
        }

        return WaitAsync(record);
    }

    /// <summary>No more records: the writer drains what is queued and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    private async ValueTask WaitAsync(CallRecord record)
    {
        using var cts = new CancellationTokenSource(_options.MaxWait);
        try
        {
            await _channel.Writer.WriteAsync(record, cts.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _enqueued);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}
