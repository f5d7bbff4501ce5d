using System.Buffers;
using Switchyard.Accounting;
using Switchyard.Providers.Anthropic;
using Xunit;
using static Switchyard.Tests.Providers.Anthropic.TestJson;

namespace Switchyard.Tests.Providers.Anthropic;

public sealed class AnthropicToOpenAIChatStreamTests
{
    private const string Head = "\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":42,\"model\":\"pub\"";

    private static string Delta(string delta, string finish = "null") =>
        $"data: {{{Head},\"choices\":[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\"finish_reason\":{finish}}}]}}\n\n";

    private static string Feed(AnthropicToOpenAIChatStream stream, string name, string data)
    {
        var output = new ArrayBufferWriter<byte>();
        stream.OnEvent(name, Bytes(data), output);
        return Text(output.WrittenSpan);
    }

    [Fact]
    public void Text_stream_is_translated_event_by_event()
    {
        var stream = new AnthropicToOpenAIChatStream("pub", "chatcmpl-1", 42, includeUsage: true);

        Assert.Equal(Delta("""{"role":"assistant","content":""}"""), Feed(stream, "message_start", """
            {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude","stop_reason":null,"stop_sequence":null,
             "usage":{"input_tokens":10,"cache_creation_input_tokens":2,"cache_read_input_tokens":30,"output_tokens":1}}}
            """));
        Assert.False(stream.SawContent);
        Assert.Equal("", Feed(stream, "content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""));
        Assert.Equal("", Feed(stream, "ping", """{"type":"ping"}"""));
        Assert.Equal(Delta("""{"content":"Hello"}"""), Feed(stream, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"""));
        Assert.True(stream.SawContent);
        Assert.Equal(Delta("""{"content":" wörld <3"}"""), Feed(stream, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" wörld <3"}}"""));
        Assert.Equal("", Feed(stream, "content_block_stop", """{"type":"content_block_stop","index":0}"""));
        Assert.Equal(Delta("{}", "\"stop\""), Feed(stream, "message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"""));
        Assert.Equal("stop", stream.FinishReason);
        Assert.False(stream.Completed);

        Assert.Equal(
            $"data: {{{Head},\"choices\":[],\"usage\":{{\"prompt_tokens\":42,\"completion_tokens\":15,\"total_tokens\":57,\"prompt_tokens_details\":{{\"cached_tokens\":30}}}}}}\n\n"
            + "data: [DONE]\n\n",
            Feed(stream, "message_stop", """{"type":"message_stop"}"""));
        Assert.True(stream.Completed);
        Assert.Equal(new TokenUsage(42, 15, 30, 2), stream.Usage);
        Assert.Equal("", Feed(stream, "message_stop", """{"type":"message_stop"}"""));
    }

    [Fact]
    public void Tool_calls_and_thinking_are_translated_with_their_own_indexes()
    {
        var stream = new AnthropicToOpenAIChatStream("pub", "chatcmpl-1", 42, includeUsage: false);
        Feed(stream, "message_start", """{"type":"message_start","message":{"id":"m","usage":{"input_tokens":5,"output_tokens":1}}}""");

        Assert.Equal("", Feed(stream, "content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""));
        Assert.Equal(Delta("""{"reasoning_content":"Hmm."}"""), Feed(stream, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}"""));
        Assert.Equal("", Feed(stream, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}}"""));
        Feed(stream, "content_block_stop", """{"type":"content_block_stop","index":0}""");

        Assert.Equal(
            Delta("""{"tool_calls":[{"index":0,"id":"toolu_a","type":"function","function":{"name":"weather","arguments":""}}]}"""),
            Feed(stream, "content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_a","name":"weather","input":{}}}"""));
        Assert.Equal("", Feed(stream, "content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"""));
        Assert.Equal(
            Delta("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}"""),
            Feed(stream, "content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}"""));
        Assert.Equal(
            Delta("""{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}"""),
            Feed(stream, "content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"Paris\"}"}}"""));
        Feed(stream, "content_block_stop", """{"type":"content_block_stop","index":1}""");

        Assert.Equal(
            Delta("""{"tool_calls":[{"index":1,"id":"toolu_b","type":"function","function":{"name":"now","arguments":""}}]}"""),
            Feed(stream, "content_block_start", """{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_b","name":"now","input":{}}}"""));
        Assert.Equal(
            Delta("""{"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]}"""),
            Feed(stream, "content_block_delta", """{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{}"}}"""));

        Assert.Equal(Delta("{}", "\"tool_calls\""), Feed(stream, "message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":40}}"""));
        Assert.Equal("data: [DONE]\n\n", Feed(stream, "message_stop", """{"type":"message_stop"}"""));
        Assert.Equal("tool_calls", stream.FinishReason);
        Assert.Equal(new TokenUsage(5, 40), stream.Usage);
    }

    [Theory]
    [InlineData("max_tokens", "length")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("refusal", "content_filter")]
    public void Stop_reasons_become_finish_reasons(string stopReason, string finishReason)
    {
        var stream = new AnthropicToOpenAIChatStream("pub", "chatcmpl-1", 42, includeUsage: false);
        Feed(stream, "message_start", """{"type":"message_start","message":{"usage":{"input_tokens":1}}}""");
        Assert.Equal(Delta("{}", $"\"{finishReason}\""), Feed(stream, "message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":"{{{stopReason}}}"}}"""));
        Assert.Equal(finishReason, stream.FinishReason);
    }

    [Fact]
    public void Missing_message_delta_still_ends_with_a_finish_reason_and_event_name_is_a_fallback()
    {
        var stream = new AnthropicToOpenAIChatStream("pub", "chatcmpl-1", 42, includeUsage: false);
        var output = Feed(stream, "content_block_delta", """{"index":0,"delta":{"type":"text_delta","text":"Hi"}}""")
            + Feed(stream, "message_stop", "{}");

        Assert.Equal(Delta("""{"role":"assistant","content":""}""") + Delta("""{"content":"Hi"}""") + Delta("{}", "\"stop\"") + "data: [DONE]\n\n", output);
        Assert.True(stream.Completed);
    }

    [Fact]
    public void Error_event_becomes_an_openai_error_and_ends_the_translation()
    {
        var stream = new AnthropicToOpenAIChatStream("pub", "chatcmpl-1", 42, includeUsage: true);
        Feed(stream, "message_start", """{"type":"message_start","message":{"usage":{"input_tokens":1}}}""");

        Assert.Equal(
            "data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded_error\"}}\n\n",
            Feed(stream, "error", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
        Assert.Equal("Overloaded", stream.Error);
        Assert.Equal("", Feed(stream, "message_stop", """{"type":"message_stop"}"""));
        Assert.False(stream.Completed);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1]")]
    [InlineData("""{"type":"content_block_start","index":0,"content_block":"text"}""")]
    [InlineData("""{"type":"content_block_delta","index":"x","delta":{"type":"input_json_delta","partial_json":"{"}}""")]
    [InlineData("""{"type":"message_delta","delta":{"stop_reason":7},"usage":"lots"}""")]
    [InlineData("""{"type":"some_future_event"}""")]
    public void Malformed_or_unknown_events_are_skipped_without_throwing(string data)
    {
        var stream = new AnthropicToOpenAIChatStream("pub", "chatcmpl-1", 42, includeUsage: false);
        var output = Feed(stream, null!, data);

        Assert.DoesNotContain("content", output.Replace("\"content\":\"\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Null(stream.FinishReason);
        Assert.False(stream.SawContent);
    }
}
