using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Buffers;
using Switchyard.Providers;
using Switchyard.Tracing;
using Xunit;

namespace Switchyard.Tests.Tracing;

public sealed class StreamAssemblerTests
{
    [Fact]
    public void Assemble_TextChatStream_JoinsDeltasPerChoice()
    {
        var stored = Assemble(WireFormat.OpenAIChat,
            """{"id":"c1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}""",
            """{"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null},{"index":1,"delta":{"content":"B"},"finish_reason":null}],"usage":null}""",
            """{"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"lo \u00e9"},"finish_reason":"stop"},{"index":1,"delta":{},"finish_reason":"length"}],"usage":null}""",
            """{"id":"c1","model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}""",
            "[DONE]");

        Assert.Equal("c1", stored["id"]!.GetValue<string>());
        Assert.Equal("Hello é", stored["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", stored["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("B", stored["choices"]![1]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("length", stored["choices"]![1]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(4, stored["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Assemble_ToolCallStream_JoinsArgumentFragments()
    {
        var stored = Assemble(WireFormat.OpenAIChat,
            """{"id":"c2","model":"m","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}}]}""",
            """{"id":"c2","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":"}}]}}]}""",
            """{"id":"c2","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]},"finish_reason":"tool_calls"}]}""");

        var call = stored["choices"]![0]!["message"]!["tool_calls"]![0]!;
        Assert.Equal("call_1", call["id"]!.GetValue<string>());
        Assert.Equal("{\"a\":1}", call["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool_calls", stored["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Assemble_AnthropicStream_BuildsMessageWithToolInput()
    {
        var stored = Assemble(WireFormat.AnthropicMessages,
            """{"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":5,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t1","name":"f","input":{}}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"x\":"}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"2}"}}""",
            """{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}""");

        Assert.Equal("Hi", stored["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(2, stored["content"]![1]!["input"]!["x"]!.GetValue<int>());
        Assert.Equal("tool_use", stored["stop_reason"]!.GetValue<string>());
        Assert.Equal(9, stored["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Assemble_CutAtTheCaptureLimit_KeepsWholeEventsOnly()
    {
        using var capture = new PooledBufferWriter();
        StreamAssembler.Append(capture, Encoding.UTF8.GetBytes("""{"id":"c","choices":[{"index":0,"delta":{"content":"a"}}]}"""));
        var bytes = capture.WrittenSpan.ToArray();
        var truncated = bytes.Concat(new byte[] { 200, 0, 0, 0, (byte)'{' }).ToArray(); // a length that runs past the end

        var stored = JsonNode.Parse(StreamAssembler.Assemble(WireFormat.OpenAIChat, truncated))!;

        Assert.Equal("a", stored["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    private static JsonNode Assemble(WireFormat format, params string[] events)
    {
        using var capture = new PooledBufferWriter();
        foreach (var e in events)
        {
            StreamAssembler.Append(capture, Encoding.UTF8.GetBytes(e));
        }

        return JsonNode.Parse(StreamAssembler.Assemble(format, capture.WrittenSpan))!;
    }
}
