using System.Buffers;
using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Re-emits one OpenAI <c>chat.completion.chunk</c> stream as Anthropic Messages events, in the order
/// Anthropic clients expect: message_start, then per content block start/deltas/stop, then
/// message_delta and message_stop. Stateful: one instance per stream; not thread-safe.
/// </summary>
/// <remarks>
/// OpenAI sends usage in a chunk after the one carrying finish_reason, so message_delta (which carries
/// the stop reason and usage together) is only written by <see cref="Complete"/>.
/// </remarks>
internal sealed class OpenAIChatToAnthropicStream
{
    private const int NoBlock = -1;

    private readonly string _publicModel;
    private readonly string _id;
    private readonly SseEventWriter _sse = new();

    // OpenAI tool_calls index → Anthropic content block index.
    private readonly Dictionary<long, int> _blockByToolCall = [];

    private bool _started;
    private bool _failed;
    private int _openBlock = NoBlock;
    private bool _openBlockIsText;
    private int _nextBlock;

    /// <param name="id">The Anthropic message id (<c>msg_…</c>), known before the first chunk.</param>
    public OpenAIChatToAnthropicStream(string publicModel, string id)
    {
        _publicModel = publicModel;
        _id = id;
    }

    public TokenUsage Usage { get; private set; }

    /// <summary>The Anthropic stop_reason, once a chunk carried a finish_reason; null if none ever did.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>Whether <see cref="Complete"/> wrote message_stop.</summary>
    public bool Completed { get; private set; }

    /// <summary>Whether any text or tool call was emitted: the moment of the first token.</summary>
    public bool SawContent { get; private set; }

    /// <summary>The message of an upstream error payload, if one arrived.</summary>
    public string? Error { get; private set; }

    /// <summary>Consumes the data of one OpenAI chunk (never <c>[DONE]</c>) and writes the Anthropic events it becomes.</summary>
    public void OnChunk(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (Completed || _failed)
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
            // Nothing can be relayed from an unreadable chunk; a stream that breaks for good ends without Completed.
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (WireJson.Get(root, "error") is { } error)
            {
                WriteError(error, output);
                return;
            }

            EnsureStarted(output);
            if (WireJson.Get(root, "usage") is { ValueKind: JsonValueKind.Object } usage)
            {
                Usage = OpenAIUsage.Read(usage);
            }

            if (WireJson.Get(root, "choices") is not { ValueKind: JsonValueKind.Array } choices)
            {
                return;
            }

            foreach (var choice in choices.EnumerateArray())
            {
                // Anthropic has one answer per message; n > 1 is refused when the request is translated.
                if (choice.ValueKind == JsonValueKind.Object && WireJson.Count(choice, "index") == 0)
                {
                    OnChoice(choice, output);
                }
            }
        }
    }

    /// <summary>Ends the message: closes the open block and writes message_delta and message_stop. Idempotent.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (Completed || _failed)
        {
            return;
        }

        EnsureStarted(output);
        CloseBlock(output);

        var writer = _sse.Begin(output, "message_delta"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "message_delta");
        writer.WriteStartObject("delta");
        writer.WriteString("stop_reason", FinishReason ?? "end_turn");
        writer.WriteNull("stop_sequence");
        writer.WriteEndObject();
        AnthropicUsage.Write(writer, Usage);
        writer.WriteEndObject();
        _sse.End(output);

        writer = _sse.Begin(output, "message_stop"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "message_stop");
        writer.WriteEndObject();
        _sse.End(output);
        Completed = true;
    }

    private void OnChoice(JsonElement choice, IBufferWriter<byte> output)
    {
        if (WireJson.Get(choice, "delta") is { ValueKind: JsonValueKind.Object } delta)
        {
            WriteText(output, WireJson.StringOrNull(delta, "content"));
            WriteText(output, WireJson.StringOrNull(delta, "refusal"));
            if (WireJson.Get(delta, "tool_calls") is { ValueKind: JsonValueKind.Array } toolCalls)
            {
                foreach (var call in toolCalls.EnumerateArray())
                {
                    if (call.ValueKind == JsonValueKind.Object)
                    {
                        OnToolCall(call, output);
                    }
                }
            }
        }

        if (WireJson.StringOrNull(choice, "finish_reason") is { } finishReason)
        {
            FinishReason = StopReasons.ToAnthropic(finishReason);
            CloseBlock(output);
        }
    }

    private void WriteText(IBufferWriter<byte> output, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (_openBlock == NoBlock || !_openBlockIsText)
        {
            CloseBlock(output);
            var start = BeginBlockStart(output);
            start.WriteString("type", "text");
            start.WriteString("text", "");
            EndBlockStart(start, output, isText: true);
        }

        var writer = BeginBlockDelta(output, _openBlock);
        writer.WriteString("type", "text_delta");
        writer.WriteString("text", text);
        EndBlockDelta(writer, output);
        SawContent = true;
    }

    private void OnToolCall(JsonElement call, IBufferWriter<byte> output)
    {
        var toolIndex = WireJson.Count(call, "index");
        var function = WireJson.Get(call, "function");
        if (!_blockByToolCall.TryGetValue(toolIndex, out var block))
        {
            CloseBlock(output);
            var start = BeginBlockStart(output);
            block = _openBlock;
            _blockByToolCall[toolIndex] = block;
            start.WriteString("type", "tool_use");
            start.WriteString("id", WireJson.StringOrNull(call, "id") ?? $"toolu_{_id}_{toolIndex}");
            start.WriteString("name", function is { } f ? WireJson.StringOrNull(f, "name") ?? "" : "");
            start.WriteStartObject("input");
            start.WriteEndObject();
            EndBlockStart(start, output, isText: false);
            SawContent = true;
        }

        // Fragments for an earlier call after a later one started are rare; they still go to that
        // call's block index, which is where Anthropic clients accumulate them.
        var arguments = function is { } fn ? WireJson.StringOrNull(fn, "arguments") : null;
        if (string.IsNullOrEmpty(arguments))
        {
            return;
        }

        var writer = BeginBlockDelta(output, block);
        writer.WriteString("type", "input_json_delta");
        writer.WriteString("partial_json", arguments);
        EndBlockDelta(writer, output);
    }

    private void EnsureStarted(IBufferWriter<byte> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        var writer = _sse.Begin(output, "message_start"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "message_start");
        writer.WriteStartObject("message");
        writer.WriteString("id", _id);
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteString("model", _publicModel);
        writer.WriteStartArray("content");
        writer.WriteEndArray();
        writer.WriteNull("stop_reason");
        writer.WriteNull("stop_sequence");

        // OpenAI reports usage only at the end; message_delta carries the real counts.
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", 0);
        writer.WriteNumber("output_tokens", 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        _sse.End(output);
    }

    private Utf8JsonWriter BeginBlockStart(IBufferWriter<byte> output)
    {
        _openBlock = _nextBlock++;
        var writer = _sse.Begin(output, "content_block_start"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "content_block_start");
        writer.WriteNumber("index", _openBlock);
        writer.WriteStartObject("content_block");
        return writer;
    }

    private void EndBlockStart(Utf8JsonWriter writer, IBufferWriter<byte> output, bool isText)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
        _sse.End(output);
        _openBlockIsText = isText;
    }

    private Utf8JsonWriter BeginBlockDelta(IBufferWriter<byte> output, int block)
    {
        var writer = _sse.Begin(output, "content_block_delta"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "content_block_delta");
        writer.WriteNumber("index", block);
        writer.WriteStartObject("delta");
        return writer;
    }

    private void EndBlockDelta(Utf8JsonWriter writer, IBufferWriter<byte> output)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
        _sse.End(output);
    }

    private void CloseBlock(IBufferWriter<byte> output)
    {
        if (_openBlock == NoBlock)
        {
            return;
        }

        var writer = _sse.Begin(output, "content_block_stop"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "content_block_stop");
        writer.WriteNumber("index", _openBlock);
        writer.WriteEndObject();
        _sse.End(output);
        _openBlock = NoBlock;
    }

    private void WriteError(JsonElement error, IBufferWriter<byte> output)
    {
        _failed = true;
        string? type = null;
        string? code = null;
        if (error.ValueKind == JsonValueKind.Object)
        {
            Error = WireJson.StringOrNull(error, "message");
            type = WireJson.StringOrNull(error, "type");
            code = WireJson.Get(error, "code") is { ValueKind: JsonValueKind.String } c ? c.GetString() : null;
        }
        else if (error.ValueKind == JsonValueKind.String)
        {
            Error = error.GetString();
        }

        Error ??= "The upstream stream failed.";
        var writer = _sse.Begin(output, "error"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", ErrorTypes.OpenAIToAnthropic(type, code));
        writer.WriteString("message", Error);
        writer.WriteEndObject();
        writer.WriteEndObject();
        _sse.End(output);
    }
}
