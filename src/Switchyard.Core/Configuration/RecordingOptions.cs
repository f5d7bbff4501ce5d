using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

internal sealed class RecordingOptions
{
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    [ConfigurationKeyName("queue_capacity"), ConfigValue(Min = 1, Max = 10_000_000)]
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>Spans ingested over OTLP waiting for their writer; about 10 s at 20,000 spans/s absorbs bursts.</summary>
    [ConfigurationKeyName("span_queue_capacity"), ConfigValue(Min = 1, Max = 10_000_000)]
    public int SpanQueueCapacity { get; set; } = 200_000;

    [ConfigurationKeyName("batch_size"), ConfigValue(Min = 1, Max = 100_000)]
    public int BatchSize { get; set; } = 1_000;

    [ConfigurationKeyName("overflow")]
    public OverflowMode Overflow { get; set; } = OverflowMode.Drop;

    /// <summary>How long a full queue may hold a request in <see cref="OverflowMode.Wait"/> mode before the record is dropped.</summary>
    [ConfigurationKeyName("max_wait")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The writer commits at most one partial batch per interval, so small batches accumulate.</summary>
    [ConfigurationKeyName("flush_interval")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(50);
}
