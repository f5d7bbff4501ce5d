using BenchmarkDotNet.Attributes;
using Switchyard.Buffers;
using Switchyard.Streaming;

namespace Switchyard.Benchmarks;

/// <summary>
/// A 50-event OpenAI chat stream held in one buffer, as <c>RouteStage.Drain</c> sees it: split into events,
/// parse each, and (last method) hand each to the <see cref="PassthroughTap"/> that relays and accounts.
/// </summary>
public class StreamingBenchmarks
{
    private byte[] _stream = [];
    private readonly PooledBufferWriter _scratch = new(256);
    private readonly PooledBufferWriter _output = new(64 * 1024);

    [GlobalSetup]
    public void Setup() => _stream = Payloads.Stream50;

    [GlobalCleanup]
    public void Cleanup()
    {
        _scratch.Dispose();
        _output.Dispose();
    }

    [Benchmark(Baseline = true, Description = "IndexOf(\"\\n\\n\") split")]
    public int IndexOfSplit()
    {
        ReadOnlySpan<byte> span = _stream;
        var events = 0;
        while (true)
        {
            var end = span.IndexOf("\n\n"u8);
            if (end < 0)
            {
                break;
            }

            events++;
            span = span[(end + 2)..];
        }

        return events;
    }

    [Benchmark(Description = "SseParser.FindEventEnd + Parse")]
    public int SseParse()
    {
        ReadOnlySpan<byte> span = _stream;
        var dataBytes = 0;
        while (true)
        {
            var end = SseParser.FindEventEnd(span);
            if (end < 0)
            {
                break;
            }

            var sseEvent = SseParser.Parse(span[..end], _scratch);
            dataBytes += sseEvent.Data.Length;
            span = span[end..];
        }

        return dataBytes;
    }

    [Benchmark(Description = "SseParser + PassthroughTap")]
    public long SseParseAndTap()
    {
        _output.Clear();
        var tap = new PassthroughTap(PassthroughTap.Format.OpenAIChat, clientWantsUsage: false);
        ReadOnlySpan<byte> span = _stream;
        while (true)
        {
            var end = SseParser.FindEventEnd(span);
            if (end < 0)
            {
                break;
            }

            var sseEvent = SseParser.Parse(span[..end], _scratch);
            tap.OnEvent(sseEvent, _output);
            span = span[end..];
        }

        tap.OnEnd(_output);
        return tap.ContentEvents + tap.Usage.OutputTokens + _output.WrittenCount;
    }
}
