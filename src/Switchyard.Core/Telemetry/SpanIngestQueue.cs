using System.Threading.Channels;
using Switchyard.Telemetry.Otlp;

namespace Switchyard.Telemetry;

/// <summary>
/// Bounded queue between the OTLP endpoints and the span writer, counted in spans. An export is
/// accepted whole or refused whole: the endpoint answers 503 rather than 200 for spans it would drop.
/// </summary>
internal sealed class SpanIngestQueue(int capacity)
{
    private readonly Channel<IReadOnlyList<IngestedSpan>> _channel = Channel.CreateUnbounded<IReadOnlyList<IngestedSpan>>(new UnboundedChannelOptions { SingleReader = true });
    private long _queued;
    private long _accepted;
    private long _refused;

    public int Capacity { get; } = capacity;

    public long Queued => Interlocked.Read(ref _queued);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Refused => Interlocked.Read(ref _refused);

    internal ChannelReader<IReadOnlyList<IngestedSpan>> Reader => _channel.Reader;

    public bool TryEnqueue(IReadOnlyList<IngestedSpan> spans)
    {
        // Reserve room first, so concurrent exports cannot overfill the queue together.
        var after = Interlocked.Add(ref _queued, spans.Count);
        if (after > Capacity && after != spans.Count)
        {
            Interlocked.Add(ref _queued, -spans.Count);
            Interlocked.Add(ref _refused, spans.Count);
            return false;
        }

        if (!_channel.Writer.TryWrite(spans))
        {
            Interlocked.Add(ref _queued, -spans.Count);
            Interlocked.Add(ref _refused, spans.Count);
            return false;
        }

        Interlocked.Add(ref _accepted, spans.Count);
        return true;
    }

    public void Written(int count) => Interlocked.Add(ref _queued, -count);

    public void Complete() => _channel.Writer.TryComplete();
}
