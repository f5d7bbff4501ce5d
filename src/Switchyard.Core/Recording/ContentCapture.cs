using Switchyard.Buffers;
using Switchyard.Gateway;
using Switchyard.Providers;
using Switchyard.Responses;
using Switchyard.Streaming;

namespace Switchyard.Recording;

/// <summary>
/// Keeps a call's answer for its trace when the capture policy stores content: a whole answer as the
/// client got it (live or replayed from the cache), or a stream's upstream events, bounded by
/// <c>tracing.max_content_bytes</c> (one byte more, so the trace can say it was cut).
/// </summary>
/// <remarks>
/// Added by the ingress stage, first of all components, so a whole answer reaches it after every other
/// component changed it. Streams are kept as the upstream sent them (read-only, no copy of the
/// client's events) and assembled off the request path.
/// </remarks>
internal sealed class ContentCapture(int maxBytes) : ResponseComponent
{
    private PooledBufferWriter? _stream;

    /// <summary>The whole answer, when the call had one.</summary>
    public byte[]? Response { get; private set; }

    /// <summary>The stream's event data, LF-separated, when it streamed.</summary>
    public PooledBufferWriter? Stream => _stream;

    public WireFormat StreamFormat { get; private set; }

    /// <summary>
    /// A stream's text as the output guards left it (masked, with pseudonym placeholders kept), when they
    /// rewrote it: recorded in place of the upstream's text, so the trace never holds what a guard masked.
    /// </summary>
    public string? CheckedStreamText { get; set; }

    public override bool WantsUpstreamEvents => true;

    public override PlainAnswer OnPlain(CallContext call, PlainAnswer answer)
    {
        if (answer.Origin is AnswerOrigin.Upstream or AnswerOrigin.Cache)
        {
            var body = answer.Recorded ?? answer.Body;
            Response = body.Span[..Math.Min(body.Length, maxBytes + 1)].ToArray();
        }

        return answer;
    }

    public override void OnStreamStart(CallContext call, WireFormat upstreamFormat)
    {
        _stream ??= new PooledBufferWriter(4096);
        _stream.Clear();
        StreamFormat = upstreamFormat;
    }

    public override void OnUpstreamEvent(CallContext call, in SseEvent sseEvent)
    {
        if (_stream is { } stream && stream.WrittenCount <= maxBytes && !sseEvent.Data.IsEmpty)
        {
            Tracing.StreamAssembler.Append(stream, sseEvent.Data);
        }
    }

    public override void Dispose() => _stream?.Dispose();
}
