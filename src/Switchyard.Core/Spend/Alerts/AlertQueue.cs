using System.Threading.Channels;

namespace Switchyard.Spend.Alerts;

/// <summary>
/// The bounded queue between <see cref="SpendAlerts"/> (on the request path) and the
/// <see cref="AlertDeliveryService"/>. Enqueueing never waits.
/// </summary>
internal sealed class AlertQueue
{
    private readonly Channel<FiredAlert> _channel;

    public AlertQueue(int capacity)
    {
        _channel = Channel.CreateBounded<FiredAlert>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<FiredAlert> Reader => _channel.Reader;

    public bool TryEnqueue(FiredAlert alert) => _channel.Writer.TryWrite(alert);
}
