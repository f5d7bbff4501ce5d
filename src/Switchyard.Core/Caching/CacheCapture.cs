using Switchyard.Buffers;
using Switchyard.Gateway;
using Switchyard.Providers;
using Switchyard.Responses;
using Switchyard.Streaming;

namespace Switchyard.Caching;

/// <summary>
/// Keeps a cache miss's answer so the cache stage can store it: a plain answer whole, or a stream's
/// upstream events (length-prefixed data), up to the cache's entry bound; beyond it nothing is kept.
/// </summary>
/// <remarks>
/// Added by the cache stage, so it sees the answer before the components of outer stages (output
/// guardrails) change it: the cache keeps what the model said, and a replay passes through them again.
/// </remarks>
internal sealed class CacheCapture(int maxBytes) : ResponseComponent
{
    private PooledBufferWriter? _stream;

    /// <summary>A plain upstream answer within the bound.</summary>
    public byte[]? Body { get; private set; }

    /// <summary>The stream's events when they stayed within the bound; null otherwise.</summary>
    public PooledBufferWriter? Stream => StreamComplete ? _stream : null;

    public WireFormat StreamFormat { get; private set; }

    /// <summary>False once the kept stream outgrew the bound.</summary>
    public bool StreamComplete { get; private set; } = true;

    public override bool WantsUpstreamEvents => true;

    public override PlainAnswer OnPlain(CallContext call, PlainAnswer answer)
    {
        if (answer.Origin == AnswerOrigin.Upstream && answer.Body.Length <= maxBytes)
        {
            Body = answer.Body.ToArray();
        }

        return answer;
    }

    public override void OnStreamStart(CallContext call, WireFormat upstreamFormat)
    {
        _stream ??= new PooledBufferWriter(4096);
        _stream.Clear();
        StreamFormat = upstreamFormat;
        StreamComplete = true;
    }

    public override void OnUpstreamEvent(CallContext call, in SseEvent sseEvent)
    {
        if (_stream is not { } keep || !StreamComplete || sseEvent.Data.IsEmpty)
        {
            return;
        }

        if (keep.WrittenCount + sseEvent.Data.Length + 4 > maxBytes)
        {
            StreamComplete = false;
            return;
        }

        Tracing.StreamAssembler.Append(keep, sseEvent.Data);
    }

    public override void Dispose() => _stream?.Dispose();
}
