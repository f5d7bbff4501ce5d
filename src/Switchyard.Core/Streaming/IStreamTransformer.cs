using System.Buffers;

namespace Switchyard.Streaming;

/// <summary>
/// Sees every upstream event of one stream and writes what the client gets: the same bytes (a tap
/// beside the relay), nothing (a dropped event), or other events (a translator between formats).
/// It also learns usage, finish reason and the first-token moment for accounting.
/// </summary>
internal interface IStreamTransformer
{
    /// <summary>True once an event carried content (text, tool call): the first-token moment.</summary>
    bool SawContent { get; }

    /// <summary>True once the upstream's terminal event arrived (<c>[DONE]</c>, <c>message_stop</c>, ...).</summary>
    bool Completed { get; }

    void OnEvent(in SseEvent sseEvent, IBufferWriter<byte> output);

    /// <summary>The upstream body ended. Translators write their closing events here.</summary>
    void OnEnd(IBufferWriter<byte> output);

    /// <summary>The upstream failed after the client got bytes: write an error event the client's SDK surfaces.</summary>
    void OnError(string message, IBufferWriter<byte> output);

    Accounting.TokenUsage Usage { get; }

    bool UsageReported { get; }

    string? FinishReason { get; }
}
