using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Switchyard.Buffers;
using Switchyard.Gateway;
using Switchyard.Recording;
using Switchyard.Responses;
using Switchyard.Streaming;

namespace Switchyard.Benchmarks;

/// <summary>
/// A 50-event OpenAI chat stream relayed as <c>UpstreamAttempt.Drain</c> does, before and after the
/// response path: the transformer straight to the output (the old relay, baseline), through
/// <see cref="CallResponse"/> with no component, with the content capture every default call has, and
/// with a component that reads client events (the staged copy an output guardrail costs).
/// </summary>
[MemoryDiagnoser]
public class ResponsePathBenchmarks
{
    private byte[] _stream = [];
    private readonly PooledBufferWriter _scratch = new(256);
    private readonly PooledBufferWriter _output = new(64 * 1024);

    /// <summary>Shared: every call has one, before and after, so it is not what is measured.</summary>
    private readonly DefaultHttpContext _http = new();

    /// <summary>
    /// Where each method leaves its call, as the gateway's stages do: without it the JIT may keep a
    /// call that never escapes on the stack, which the real path cannot.
    /// </summary>
    private CallContext? _call;

    [GlobalSetup]
    public void Setup() => _stream = Payloads.Stream50;

    [GlobalCleanup]
    public void Cleanup()
    {
        _scratch.Dispose();
        _output.Dispose();
    }

    [Benchmark(Baseline = true, Description = "old relay: tap + capture inline")]
    public int OldRelay()
    {
        _output.Clear();
        var call = _call = new CallContext(_http, ClientApi.ChatCompletions, 0, default, default);
        // As the old relay did: the call's capture buffer rented per stream, returned when the call ended.
        using var capture = new PooledBufferWriter(4096);
        var tap = new PassthroughTap(PassthroughTap.Format.OpenAIChat, clientWantsUsage: false);
        ReadOnlySpan<byte> span = _stream;
        while (SseParser.FindEventEnd(span) is var end and >= 0)
        {
            var sseEvent = SseParser.Parse(span[..end], _scratch);
            if (capture.WrittenCount <= 32 * 1024 && !sseEvent.Data.IsEmpty)
            {
                Tracing.StreamAssembler.Append(capture, sseEvent.Data);
            }

            tap.OnEvent(sseEvent, _output);
            span = span[end..];
        }

        return _output.WrittenCount + call.Attempts.Count;
    }

    [Benchmark(Description = "CallResponse + content capture")]
    public int WithCapture() => Relay(new ContentCapture(32 * 1024));

    [Benchmark(Description = "CallResponse, no component")]
    public int NoComponent() => Relay(null);

    [Benchmark(Description = "CallResponse + client-event component")]
    public int ClientEvents() => Relay(new Passthrough());

    private int Relay(ResponseComponent? component)
    {
        _output.Clear();
        var call = _call = new CallContext(_http, ClientApi.ChatCompletions, 0, default, default);
        if (component is not null)
        {
            call.Response.Add(component);
        }

        var tap = new PassthroughTap(PassthroughTap.Format.OpenAIChat, clientWantsUsage: false);
        var output = call.Response.BeginStream(_output, Providers.WireFormat.OpenAIChat);
        ReadOnlySpan<byte> span = _stream;
        while (SseParser.FindEventEnd(span) is var end and >= 0)
        {
            var sseEvent = SseParser.Parse(span[..end], _scratch);
            call.Response.OnUpstreamEvent(sseEvent);
            tap.OnEvent(sseEvent, output);
            span = span[end..];
        }

        call.Response.Pump();
        call.Response.EndStream();
        call.Response.Dispose();
        return _output.WrittenCount;
    }

    private sealed class Passthrough : ResponseComponent
    {
        public override bool WantsClientEvents => true;

        public override void OnClientEvent(CallContext call, in SseEvent sseEvent, IBufferWriter<byte> output) => output.Write(sseEvent.Raw);
    }
}
