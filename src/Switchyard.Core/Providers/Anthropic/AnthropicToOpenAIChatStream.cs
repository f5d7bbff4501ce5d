using System.Buffers;
using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Re-emits one Anthropic Messages event stream as OpenAI <c>chat.completion.chunk</c> events. Stateful:
/// one instance per stream, fed every event in order; not thread-safe.
/// </summary>
internal sealed class AnthropicToOpenAIChatStream
{
    private readonly string _publicModel;
    private readonly string _id;
    private readonly long _created;
    private readonly bool _includeUsage;
    private readonly SseEventWriter _sse = new();

    // Anthropic content block index → index in OpenAI's tool_calls array, which counts tool calls only.
    private readonly Dictionary<long, int> _toolCallByBlock = [];

    private long _inputTokens;
    private long _cacheReadTokens;
    private long _cacheWriteTokens;
    private long _outputTokens;
    private bool _started;
    private bool _finishSent;

    /// <param name="id">The chunk id, e.g. <c>chatcmpl-</c> + the Anthropic message id, known before the first event.</param>
    /// <param name="created">Unix seconds for <c>created</c>.</param>
    /// <param name="includeUsage">The client's <c>stream_options.include_usage</c>: end with a usage-only chunk.</param>
    public AnthropicToOpenAIChatStream(string publicModel, string id, long created, bool includeUsage)
    {
        _publicModel = publicModel;
        _id = id;
        _created = created;
        _includeUsage = includeUsage;
    }

    public TokenUsage Usage => new(_inputTokens + _cacheReadTokens + _cacheWriteTokens, _outputTokens, _cacheReadTokens, _cacheWriteTokens);

    /// <summary>The OpenAI finish_reason, once <c>message_delta</c> carried a stop reason.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>Whether <c>message_stop</c> arrived and <c>[DONE]</c> was written.</summary>
    public bool Completed { get; private set; }

    /// <summary>Whether any text, reasoning or tool call was emitted: the moment of the first token.</summary>
    public bool SawContent { get; private set; }

    /// <summary>The message of an upstream <c>error</c> event, if one arrived.</summary>
    public string? Error { get; private set; }

    /// <summary>Consumes one Anthropic event and writes the OpenAI events it becomes (possibly none).</summary>
    /// <param name="eventName">The SSE <c>event:</c> field; the <c>type</c> inside the data wins when both are present.</param>
    /// <param name="data">The SSE <c>data:</c> payload.</param>
    public void OnEvent(string? eventName, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (Completed || Error is not null)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = WireJson.Parse(data);
        }
        catch (JsonException)
        {
            // Nothing can be relayed from an unreadable event; a stream that breaks for good ends without Completed.
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            switch (WireJson.StringOrNull(root, "type") ?? eventName)
            {
                case "message_start":
                    if (WireJson.Get(root, "message") is { } message && WireJson.Get(message, "usage") is { } usage)
                    {
                        ReadUsage(usage);
                    }

                    EnsureStarted(output);
                    break;
                case "content_block_start":
                    OnBlockStart(root, output);
                    break;
                case "content_block_delta":
                    OnBlockDelta(root, output);
                    break;
                case "message_delta":
                    OnMessageDelta(root, output);
                    break;
                case "message_stop":
                    OnMessageStop(output);
                    break;
                case "error":
                    OnError(root, output);
                    break;

                // ping and content_block_stop have no OpenAI counterpart; unknown events are skipped
                // because Anthropic documents that new event types may appear.
            }
        }
    }

    private void ReadUsage(JsonElement usage)
    {
        // message_delta repeats counts cumulatively, and only the counts it mentions change.
        if (WireJson.TryCount(usage, "input_tokens", out var input))
        {
            _inputTokens = input;
        }

        if (WireJson.TryCount(usage, "cache_read_input_tokens", out var cacheRead))
        {
            _cacheReadTokens = cacheRead;
        }

        if (WireJson.TryCount(usage, "cache_creation_input_tokens", out var cacheWrite))
        {
            _cacheWriteTokens = cacheWrite;
        }

        if (WireJson.TryCount(usage, "output_tokens", out var output))
        {
            _outputTokens = output;
        }
    }

    private void EnsureStarted(IBufferWriter<byte> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        var writer = BeginDelta(output);
        writer.WriteString("role", "assistant");
        writer.WriteString("content", "");
        EndDelta(writer, output, null);
    }

    private void OnBlockStart(JsonElement root, IBufferWriter<byte> output)
    {
        if (WireJson.Get(root, "content_block") is not { ValueKind: JsonValueKind.Object } block)
        {
            return;
        }

        var index = WireJson.Count(root, "index");
        switch (WireJson.StringOrNull(block, "type"))
        {
            case "text":
                WriteContent(output, "content", WireJson.StringOrNull(block, "text"));
                break;
            case "thinking":
                WriteContent(output, "reasoning_content", WireJson.StringOrNull(block, "thinking"));
                break;
            case "tool_use":
                EnsureStarted(output);
                var toolCall = _toolCallByBlock.Count;
                _toolCallByBlock[index] = toolCall;
                var writer = BeginDelta(output);
                writer.WriteStartArray("tool_calls");
                writer.WriteStartObject();
                writer.WriteNumber("index", toolCall);
                writer.WriteString("id", WireJson.StringOrNull(block, "id") ?? "");
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", WireJson.StringOrNull(block, "name") ?? "");
                writer.WriteString("arguments", "");
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
                EndDelta(writer, output, null);
                SawContent = true;
                break;
        }
    }

    private void OnBlockDelta(JsonElement root, IBufferWriter<byte> output)
    {
        if (WireJson.Get(root, "delta") is not { ValueKind: JsonValueKind.Object } delta)
        {
            return;
        }

        switch (WireJson.StringOrNull(delta, "type"))
        {
            case "text_delta":
                WriteContent(output, "content", WireJson.StringOrNull(delta, "text"));
                break;
            case "thinking_delta":
                WriteContent(output, "reasoning_content", WireJson.StringOrNull(delta, "thinking"));
                break;
            case "input_json_delta":
                var partial = WireJson.StringOrNull(delta, "partial_json");
                if (string.IsNullOrEmpty(partial) || !_toolCallByBlock.TryGetValue(WireJson.Count(root, "index"), out var toolCall))
                {
                    return;
                }

                var writer = BeginDelta(output);
                writer.WriteStartArray("tool_calls");
                writer.WriteStartObject();
                writer.WriteNumber("index", toolCall);
                writer.WriteStartObject("function");
                writer.WriteString("arguments", partial);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
                EndDelta(writer, output, null);
                SawContent = true;
                break;

            // signature_delta and citations_delta have no OpenAI counterpart.
        }
    }

    private void WriteContent(IBufferWriter<byte> output, string field, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        EnsureStarted(output);
        var writer = BeginDelta(output);
        writer.WriteString(field, text);
        EndDelta(writer, output, null);
        SawContent = true;
    }

    private void OnMessageDelta(JsonElement root, IBufferWriter<byte> output)
    {
        if (WireJson.Get(root, "usage") is { ValueKind: JsonValueKind.Object } usage)
        {
            ReadUsage(usage);
        }

        if (WireJson.Get(root, "delta") is { } delta && WireJson.StringOrNull(delta, "stop_reason") is { } stopReason)
        {
            WriteFinish(output, StopReasons.ToOpenAI(stopReason));
        }
    }

    private void WriteFinish(IBufferWriter<byte> output, string finishReason)
    {
        if (_finishSent)
        {
            return;
        }

        EnsureStarted(output);
        FinishReason = finishReason;
        _finishSent = true;
        var writer = BeginDelta(output);
        EndDelta(writer, output, finishReason);
    }

    private void OnMessageStop(IBufferWriter<byte> output)
    {
        // OpenAI clients expect a finish_reason before the end even if message_delta was missing.
        WriteFinish(output, "stop");
        if (_includeUsage)
        {
            var writer = BeginChunk(output);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            OpenAIUsage.Write(writer, Usage);
            writer.WriteEndObject();
            _sse.End(output);
        }

        SseEventWriter.WriteDone(output);
        Completed = true;
    }

    private void OnError(JsonElement root, IBufferWriter<byte> output)
    {
        var error = WireJson.Get(root, "error");
        var type = error is { } e ? WireJson.StringOrNull(e, "type") : null;
        Error = (error is { } m ? WireJson.StringOrNull(m, "message") : null) ?? "The upstream stream failed.";

        var writer = _sse.Begin(output, default);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", Error);
        writer.WriteString("type", ErrorTypes.AnthropicToOpenAI(type));
        writer.WriteNull("param");
        if (type is null)
        {
            writer.WriteNull("code");
        }
        else
        {
            writer.WriteString("code", type);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        _sse.End(output);
    }

    private Utf8JsonWriter BeginChunk(IBufferWriter<byte> output)
    {
        var writer = _sse.Begin(output, default);
        writer.WriteStartObject();
        writer.WriteString("id", _id);
        writer.WriteString("object", "chat.completion.chunk");
        writer.WriteNumber("created", _created);
        writer.WriteString("model", _publicModel);
        return writer;
    }

    private Utf8JsonWriter BeginDelta(IBufferWriter<byte> output)
    {
        var writer = BeginChunk(output);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        return writer;
    }

    private void EndDelta(Utf8JsonWriter writer, IBufferWriter<byte> output, string? finishReason)
    {
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason");
        }
        else
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        _sse.End(output);
    }
}
