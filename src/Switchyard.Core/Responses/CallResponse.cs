using System.Buffers;
using Switchyard.Gateway;
using Switchyard.Providers;
using Switchyard.Streaming;

namespace Switchyard.Responses;

/// <summary>
/// The one way a call's answer reaches the client: a live plain answer, a live stream, a cached replay
/// or an error all pass through here, and through the response components the stages added.
/// </summary>
/// <remarks>
/// <code>
///  plain:  body ─► components' OnPlain (innermost first) ─► status, headers, body
///  stream: upstream event ─► OnUpstreamEvent (read-only) ─► exchange's transformer ─► client bytes
///                                  └ when a component wants client events: staged ─► OnClientEvent chain ─► client
/// </code>
/// With no component asking for client events, the transformer writes straight to the response, so
/// a relayed event is written as the same bytes with no copy, and flushed once per upstream read.
/// </remarks>
internal sealed class CallResponse(CallContext call) : IDisposable
{
    private ResponseComponent[] _components = [];
    private int _count;
    private bool _observing;
    private ClientEventChain? _chain;

    /// <summary>True once a component ended the stream with an error (see <see cref="ResponseComponent"/>).</summary>
    public bool IsCut { get; private set; }

    /// <summary>Adds a component; it sees answers before every component added earlier.</summary>
    public void Add(ResponseComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (_count == _components.Length)
        {
            Array.Resize(ref _components, Math.Max(4, _count * 2));
        }

        _components[_count++] = component;
    }

    /// <summary>Runs a whole answer through the components, innermost first; what comes out is what the client gets.</summary>
    public async ValueTask<PlainAnswer> FilterAsync(PlainAnswer answer)
    {
        for (var i = _count - 1; i >= 0; i--)
        {
            answer = await _components[i].OnPlainAsync(call, answer).ConfigureAwait(false);
        }

        return answer;
    }

    /// <summary>Sends a whole JSON answer through the components.</summary>
    public async Task SendAsync(int status, ReadOnlyMemory<byte> body, AnswerOrigin origin) =>
        await WriteAsync(await FilterAsync(new PlainAnswer(status, body, origin)).ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>Writes an answer the components already saw (<see cref="FilterAsync"/>).</summary>
    public Task WriteAsync(PlainAnswer answer)
    {
        call.Status = answer.Status;
        var response = call.Http.Response;
        response.StatusCode = answer.Status;
        response.ContentType = "application/json";
        response.ContentLength = answer.Body.Length;
        return response.Body.WriteAsync(answer.Body, call.Aborted).AsTask();
    }

    /// <summary>
    /// A live stream starts. Returns where the exchange's transformer writes: the client's response
    /// itself, or, when a component wants the client's events, a staging buffer that <see cref="Pump"/> empties.
    /// </summary>
    public IBufferWriter<byte> BeginStream(IBufferWriter<byte> client, WireFormat upstreamFormat)
    {
        _observing = false;
        var rewriting = 0;
        for (var i = 0; i < _count; i++)
        {
            var component = _components[i];
            component.OnStreamStart(call, upstreamFormat);
            _observing |= component.WantsUpstreamEvents;
            rewriting += component.WantsClientEvents ? 1 : 0;
        }

        if (rewriting == 0)
        {
            return client;
        }

        var stages = new ResponseComponent[rewriting];
        var n = 0;
        for (var i = _count - 1; i >= 0; i--)
        {
            if (_components[i].WantsClientEvents)
            {
                stages[n++] = _components[i];
            }
        }

        _chain = new ClientEventChain(call, stages, client);
        return _chain.Input;
    }

    /// <summary>One upstream event, before the transformer: components that read upstream events see it.</summary>
    public void OnUpstreamEvent(in SseEvent sseEvent)
    {
        if (!_observing)
        {
            return;
        }

        // The hook is a no-op where not overridden: calling it costs less than asking first.
        var components = _components;
        for (var i = 0; i < _count; i++)
        {
            components[i].OnUpstreamEvent(call, sseEvent);
        }
    }

    /// <summary>Passes the client events the transformer staged through the components; nothing to do when none rewrites.</summary>
    public void Pump() => _chain?.Pump();

    /// <summary>The stream is over (complete, broken or cut): components write what they held back.</summary>
    public void EndStream() => _chain?.End();

    /// <summary>A component ended the stream with an error event; see <see cref="ResponseComponent"/>.</summary>
    internal void Cut() => IsCut = true;

    public void Dispose()
    {
        _chain?.Dispose();
        for (var i = 0; i < _count; i++)
        {
            _components[i].Dispose();
        }
    }
}
