using System.Buffers;
using Switchyard.Accounting;
using Switchyard.Providers.Anthropic;
using Xunit;
using static Switchyard.Tests.Providers.Anthropic.TestJson;

namespace Switchyard.Tests.Providers.Anthropic;

public sealed class OpenAIChatToAnthropicStreamTests
{
    private const string MessageStart =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"pub\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}\n\n";

    private static string Chunk(string choices, string extra = "") =>
        $$"""{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt","choices":{{choices}}{{extra}}}""";

    private static string Feed(OpenAIChatToAnthropicStream stream, string data)
    {
        var output = new ArrayBufferWriter<byte>();
        stream.OnChunk(Bytes(data), output);
        return Text(output.WrittenSpan);
    }

    private static string Complete(OpenAIChatToAnthropicStream stream)
    {
        var output = new ArrayBufferWriter<byte>();
        stream.Complete(output);
        return Text(output.WrittenSpan);
    }

    private static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";

    [Fact]
    public void Text_stream_is_translated_event_by_event_with_usage_arriving_last()
    {
        var stream = new OpenAIChatToAnthropicStream("pub", "msg_1");

        Assert.Equal(MessageStart, Feed(stream, Chunk("""[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]""")));
        Assert.False(stream.SawContent);
        Assert.Equal(
            Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"""),
            Feed(stream, Chunk("""[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]""")));
        Assert.True(stream.SawContent);
        Assert.Equal(
            Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" wörld"}}"""),
            Feed(stream, Chunk("""[{"index":0,"delta":{"content":" wörld"},"finish_reason":null}]""")));
        Assert.Equal(
            Event("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            Feed(stream, Chunk("""[{"index":0,"delta":{},"finish_reason":"stop"}]""")));
        Assert.Equal("end_turn", stream.FinishReason);
        Assert.Equal("", Feed(stream, Chunk("[]", ""","usage":{"prompt_tokens":50,"completion_tokens":7,"total_tokens":57,"prompt_tokens_details":{"cached_tokens":40}}""")));
        Assert.Equal(new TokenUsage(50, 7, 40), stream.Usage);

        Assert.Equal(
            Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":40,"output_tokens":7}}""")
            + Event("message_stop", """{"type":"message_stop"}"""),
            Complete(stream));
        Assert.True(stream.Completed);
        Assert.Equal("", Complete(stream));
        Assert.Equal("", Feed(stream, Chunk("""[{"index":0,"delta":{"content":"late"}}]""")));
    }

    [Fact]
    public void Text_then_several_tool_calls_each_get_their_own_block()
    {
        var stream = new OpenAIChatToAnthropicStream("pub", "msg_1");
        var output = Feed(stream, Chunk("""[{"index":0,"delta":{"role":"assistant","content":"Let me check."}}]"""))
            + Feed(stream, Chunk("""[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"weather","arguments":""}}]}}]"""))
            + Feed(stream, Chunk("""[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]"""))
            + Feed(stream, Chunk("""[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]"""))
            + Feed(stream, Chunk("""[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"now","arguments":"{}"}}]}}]"""))
            + Feed(stream, Chunk("""[{"index":0,"delta":{},"finish_reason":"tool_calls"}]"""))
            + Complete(stream);

        Assert.Equal(
            MessageStart
            + Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me check."}}""")
            + Event("content_block_stop", """{"type":"content_block_stop","index":0}""")
            + Event("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_a","name":"weather","input":{}}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"Paris\"}"}}""")
            + Event("content_block_stop", """{"type":"content_block_stop","index":1}""")
            + Event("content_block_start", """{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"call_b","name":"now","input":{}}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{}"}}""")
            + Event("content_block_stop", """{"type":"content_block_stop","index":2}""")
            + Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}""")
            + Event("message_stop", """{"type":"message_stop"}"""),
            output);
        Assert.Equal("tool_use", stream.FinishReason);
        Assert.True(stream.SawContent);
    }

    [Theory]
    [InlineData("length", "max_tokens")]
    [InlineData("content_filter", "refusal")]
    [InlineData("stop", "end_turn")]
    public void Finish_reasons_become_stop_reasons_in_message_delta(string finishReason, string stopReason)
    {
        var stream = new OpenAIChatToAnthropicStream("pub", "msg_1");
        Feed(stream, Chunk($$"""[{"index":0,"delta":{"content":"x"},"finish_reason":"{{finishReason}}"}]"""));
        var end = Events(WriteComplete(stream));

        Assert.Equal(stopReason, stream.FinishReason);
        Assert.Equal("message_delta", Name(end[0]));
        Assert.Equal(stopReason, Data(end[0])["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Empty_stream_still_produces_a_well_formed_message()
    {
        var stream = new OpenAIChatToAnthropicStream("pub", "msg_1");
        var events = Events(WriteComplete(stream));

        Assert.Equal(["message_start", "message_delta", "message_stop"], events.Select(Name));
        Assert.Null(stream.FinishReason);
        Assert.Equal("end_turn", Data(events[1])["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Upstream_error_payload_becomes_an_anthropic_error_event()
    {
        var stream = new OpenAIChatToAnthropicStream("pub", "msg_1");
        Feed(stream, Chunk("""[{"index":0,"delta":{"content":"x"}}]"""));

        Assert.Equal(
            Event("error", """{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}"""),
            Feed(stream, """{"error":{"message":"Slow down","type":"requests","code":"rate_limit_exceeded"}}"""));
        Assert.Equal("Slow down", stream.Error);
        Assert.Equal("", Complete(stream));
        Assert.False(stream.Completed);
    }

    [Theory]
    [InlineData("{oops")]
    [InlineData("")]
    [InlineData("\"text\"")]
    [InlineData("""{"choices":"nope"}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":5,"tool_calls":"x"},"finish_reason":3}]}""")]
    [InlineData("""{"choices":[{"index":1,"delta":{"content":"second choice"}}]}""")]
    public void Malformed_chunks_are_skipped_without_throwing(string data)
    {
        var stream = new OpenAIChatToAnthropicStream("pub", "msg_1");
        var output = Feed(stream, data);

        Assert.DoesNotContain("content_block", output, StringComparison.Ordinal);
        Assert.False(stream.SawContent);
        Assert.Null(stream.FinishReason);
    }

    private static ArrayBufferWriter<byte> WriteComplete(OpenAIChatToAnthropicStream stream)
    {
        var output = new ArrayBufferWriter<byte>();
        stream.Complete(output);
        return output;
    }
}
