using System.Buffers;
using Switchyard.Buffers;
using Switchyard.Gateway;
using Switchyard.Streaming;

namespace Switchyard.Responses;

/// <summary>
/// The client-bound events of one stream passed through the components that rewrite them, each
/// reading the events the one before it wrote. Built only when some component asks for them.
/// </summary>
internal sealed class ClientEventChain : IDisposable
{
    private readonly CallContext _call;
    private readonly ResponseComponent[] _stages;
    private readonly PooledBufferWriter[] _inputs;
    private readonly IBufferWriter<byte> _client;
    private readonly PooledBufferWriter _scratch = new(256);

    /// <summary>The stage that cut the stream; it and the stages before it see nothing more.</summary>
    private int _cutAt = -1;

    public ClientEventChain(CallContext call, ResponseComponent[] stages, IBufferWriter<byte> client)
    {
        _call = call;
        _stages = stages;
        _client = client;
        _inputs = new PooledBufferWriter[stages.Length];
        for (var i = 0; i < stages.Length; i++)
        {
            _inputs[i] = new PooledBufferWriter(4096);
        }
    }

    public IBufferWriter<byte> Input => _inputs[0];

    public void Pump()
    {
        for (var k = 0; k < _stages.Length; k++)
        {
            Drain(k);
        }
    }

    public void End()
    {
        for (var k = 0; k < _stages.Length; k++)
        {
            Drain(k);
            if (k > _cutAt)
            {
                _stages[k].OnStreamEnd(_call, OutputOf(k));
            }

            if (_inputs[k].WrittenCount > 0 && k > _cutAt)
            {
                // An event left without its blank line: passed on as it is, as the relay would have.
                OutputOf(k).Write(_inputs[k].WrittenSpan);
            }

            _inputs[k].Clear();
        }
    }

    private IBufferWriter<byte> OutputOf(int stage) => stage + 1 < _stages.Length ? _inputs[stage + 1] : _client;

    private void Drain(int k)
    {
        var input = _inputs[k];
        var output = OutputOf(k);
        var consumed = 0;
        while (true)
        {
            var span = input.WrittenSpan[consumed..];
            var end = SseParser.FindEventEnd(span);
            if (end < 0)
            {
                break;
            }

            if (k > _cutAt)
            {
                var sseEvent = SseParser.Parse(span[..end], _scratch);
                _stages[k].OnClientEvent(_call, sseEvent, output);
                if (_cutAt < 0 && _call.Response.IsCut)
                {
                    _cutAt = k;
                }
            }

            consumed += end;
        }

        input.Consume(consumed);
    }

    public void Dispose()
    {
        foreach (var input in _inputs)
        {
            input.Dispose();
        }

        _scratch.Dispose();
    }
}
