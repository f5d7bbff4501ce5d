using System.Buffers;
using Switchyard.Buffers;
using Switchyard.Gateway;
using Switchyard.Providers;
using Switchyard.Streaming;

namespace Switchyard.Responses;

/// <summary>
/// One piece of work on the response side of one call: capturing content for the trace, keeping an
/// answer for the cache, and later masking PII or validating a schema. A stage adds a component to
/// <see cref="CallContext.Response"/> before it passes the call on; the component then sees every
/// answer the call gives, whatever produced it (<see cref="AnswerOrigin"/>).
/// </summary>
/// <remarks>
/// Components wrap the answer like stages wrap the request: the one added last (the innermost
/// stage's) sees it first, the one added first (the outermost stage's) sees what the client gets.
/// Every hook is optional. Stream hooks come in two kinds so that relaying stays as cheap as it is:
/// <see cref="OnUpstreamEvent"/> reads the upstream's events before translation, at no copy;
/// <see cref="OnClientEvent"/> sees, may change and may hold back the events the client gets, and
/// only when some component asks for it (<see cref="WantsClientEvents"/>) are they staged in a buffer.
/// </remarks>
internal abstract class ResponseComponent : IDisposable
{
    /// <summary>True to see the upstream's stream events (read-only) through <see cref="OnUpstreamEvent"/>.</summary>
    public virtual bool WantsUpstreamEvents => false;

    /// <summary>True to see and rewrite the client's stream events through <see cref="OnClientEvent"/>.</summary>
    public virtual bool WantsClientEvents => false;

    /// <summary>A whole answer: a plain body (upstream, local or error), or a cached answer before it is replayed.</summary>
    public virtual PlainAnswer OnPlain(CallContext call, PlainAnswer answer) => answer;

    /// <summary>
    /// <see cref="OnPlain"/> for a component that may wait on something (a guard asking a judge model):
    /// the answer path awaits it instead of blocking a thread. The default runs <see cref="OnPlain"/>.
    /// </summary>
    public virtual ValueTask<PlainAnswer> OnPlainAsync(CallContext call, PlainAnswer answer) => new(OnPlain(call, answer));

    /// <summary>A live stream is about to start; its upstream events are in <paramref name="upstreamFormat"/>.</summary>
    public virtual void OnStreamStart(CallContext call, WireFormat upstreamFormat)
    {
    }

    public virtual void OnUpstreamEvent(CallContext call, in SseEvent sseEvent)
    {
    }

    /// <summary>
    /// One client-bound event. Write it (or something else, or nothing: held back) to <paramref name="output"/>;
    /// <see cref="CallResponse.EndStream"/> is the component's last chance to write what it held.
    /// </summary>
    public virtual void OnClientEvent(CallContext call, in SseEvent sseEvent, IBufferWriter<byte> output) => output.Write(sseEvent.Raw);

    /// <summary>The stream ended (complete, broken or cut): write what was held back.</summary>
    public virtual void OnStreamEnd(CallContext call, IBufferWriter<byte> output)
    {
    }

    public virtual void Dispose()
    {
    }

    /// <summary>An answer that replaces this one with an error in the client's API format, and marks the call failed.</summary>
    protected static PlainAnswer Error(CallContext call, int status, string type, string message, string? code = null)
    {
        call.Fail(status, type, message);
        using var buffer = new PooledBufferWriter(256);
        GatewayErrors.Write(buffer, call.Api, status, type, message, code);
        return new PlainAnswer(status, buffer.WrittenSpan.ToArray(), AnswerOrigin.Error);
    }

    /// <summary>
    /// Ends a stream that already started with an error event in the client's format: nothing the
    /// upstream sends afterwards reaches the client, and the call is marked failed.
    /// </summary>
    protected static void CutStream(CallContext call, IBufferWriter<byte> output, int status, string type, string message, string? code = null)
    {
        call.Fail(status, type, message);
        if (call.Api is ClientApi.Messages)
        {
            StreamErrors.WriteAnthropic(output, GatewayErrors.AnthropicType(status), message);
        }
        else
        {
            StreamErrors.WriteOpenAI(output, message, type, code);
        }

        call.Response.Cut();
    }
}
