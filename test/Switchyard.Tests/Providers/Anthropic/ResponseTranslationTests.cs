using Switchyard.Accounting;
using Switchyard.Providers.Anthropic;
using Xunit;
using static Switchyard.Tests.Providers.Anthropic.TestJson;

namespace Switchyard.Tests.Providers.Anthropic;

public sealed class ResponseTranslationTests
{
    [Fact]
    public void Anthropic_message_becomes_chat_completion_with_tool_calls_reasoning_and_cache_usage()
    {
        var result = AnthropicToOpenAIChatResponse.Translate(Bytes("""
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-x",
             "content":[{"type":"thinking","thinking":"Let me think.","signature":"s"},
                        {"type":"text","text":"Checking "},{"type":"text","text":"now."},
                        {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":10,"cache_creation_input_tokens":5,"cache_read_input_tokens":100,"output_tokens":20}}
            """), "public-model", 1700000000);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(new TokenUsage(115, 20, 100, 5), result.Usage);
        Assert.Equal("tool_calls", result.FinishReason);
        Equal("""
            {"id":"chatcmpl-msg_01","object":"chat.completion","created":1700000000,"model":"public-model",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Checking now.","reasoning_content":"Let me think.",
               "tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}],
               "refusal":null},"logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":115,"completion_tokens":20,"total_tokens":135,"prompt_tokens_details":{"cached_tokens":100}}}
            """, result.Body);
    }

    [Fact]
    public void Anthropic_tool_only_answer_has_null_content()
    {
        var result = AnthropicToOpenAIChatResponse.Translate(Bytes("""
            {"id":"m","content":[{"type":"tool_use","id":"t","name":"f","input":{}}],"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":2}}
            """), "p", 1);

        var message = Parse(result.Body)["choices"]![0]!["message"]!;
        Assert.Null(message["content"]);
        Assert.Equal("{}", message["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("pause_turn", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    public void Stop_reasons_map_to_finish_reasons(string stopReason, string finishReason)
    {
        var result = AnthropicToOpenAIChatResponse.Translate(Bytes($$$"""
            {"id":"m","content":[{"type":"text","text":"x"}],"stop_reason":"{{{stopReason}}}","usage":{"input_tokens":1,"output_tokens":1}}
            """), "p", 1);

        Assert.Equal(finishReason, result.FinishReason);
        Assert.Equal(finishReason, Parse(result.Body)["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", "Overloaded")]
    [InlineData("""{"id":"m","content":"text"}""", "'content' must be an array")]
    public void Bad_anthropic_messages_are_errors(string body, string fragment)
    {
        var result = AnthropicToOpenAIChatResponse.Translate(Bytes(body), "p", 1);
        Assert.False(result.IsSuccess);
        Assert.Contains(fragment, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Chat_completion_becomes_anthropic_message_with_cache_split_usage()
    {
        var result = OpenAIChatToAnthropicResponse.Translate(Bytes("""
            {"id":"chatcmpl-abc","object":"chat.completion","created":1,"model":"gpt-x",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Checking.","refusal":null,
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
                             {"id":"call_2","type":"function","function":{"name":"now","arguments":""}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150,
                      "prompt_tokens_details":{"cached_tokens":100},"completion_tokens_details":{"reasoning_tokens":12}}}
            """), "public-model");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(new TokenUsage(120, 30, 100, 0, 12), result.Usage);
        Assert.Equal("tool_use", result.FinishReason);
        Equal("""
            {"id":"msg_abc","type":"message","role":"assistant","model":"public-model",
             "content":[{"type":"text","text":"Checking."},
                        {"type":"tool_use","id":"call_1","name":"weather","input":{"city":"Paris"}},
                        {"type":"tool_use","id":"call_2","name":"now","input":{}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":30}}
            """, result.Body);
    }

    [Theory]
    [InlineData("\"stop\"", "end_turn")]
    [InlineData("\"length\"", "max_tokens")]
    [InlineData("\"tool_calls\"", "tool_use")]
    [InlineData("\"function_call\"", "tool_use")]
    [InlineData("\"content_filter\"", "refusal")]
    [InlineData("null", "end_turn")]
    public void Finish_reasons_map_to_stop_reasons(string finishReason, string stopReason)
    {
        var result = OpenAIChatToAnthropicResponse.Translate(Bytes($$"""
            {"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":{{finishReason}}}]}
            """), "p");

        Assert.Equal(stopReason, result.FinishReason);
        Assert.Equal(stopReason, Parse(result.Body)["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Refusal_and_array_content_become_text_blocks_and_empty_text_is_dropped()
    {
        var refusal = OpenAIChatToAnthropicResponse.Translate(Bytes("""
            {"id":"c","choices":[{"message":{"role":"assistant","content":null,"refusal":"I can't."},"finish_reason":"content_filter"}]}
            """), "p");
        Equal("""[{"type":"text","text":"I can't."}]""", Parse(refusal.Body)["content"]);

        var parts = OpenAIChatToAnthropicResponse.Translate(Bytes("""
            {"id":"c","choices":[{"message":{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},"finish_reason":"stop"}]}
            """), "p");
        Equal("""[{"type":"text","text":"ab"}]""", Parse(parts.Body)["content"]);

        var empty = OpenAIChatToAnthropicResponse.Translate(Bytes("""
            {"id":"c","choices":[{"message":{"role":"assistant","content":""},"finish_reason":"stop"}]}
            """), "p");
        Equal("[]", Parse(empty.Body)["content"]);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("42", "not a JSON object")]
    [InlineData("""{"error":{"message":"bad key"}}""", "bad key")]
    [InlineData("""{"id":"c","choices":[]}""", "no choices")]
    [InlineData("""{"id":"c","choices":[{"finish_reason":"stop"}]}""", "no message")]
    [InlineData("""{"id":"c","choices":[{"message":{"tool_calls":[{"id":"t","function":{"name":"f","arguments":"{oops"}}]}}]}""", "not valid JSON")]
    [InlineData("""{"id":"c","choices":[{"message":{"tool_calls":[{"id":"t","function":{"name":"f","arguments":"[1]"}}]}}]}""", "not a JSON object")]
    [InlineData("""{"id":"c","choices":[{"message":{"tool_calls":[{"id":"t"}]}}]}""", "function' is missing")]
    public void Bad_chat_completions_are_errors(string body, string fragment)
    {
        var result = OpenAIChatToAnthropicResponse.Translate(Bytes(body), "p");
        Assert.False(result.IsSuccess);
        Assert.Contains(fragment, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chatcmpl-abc", "msg_abc")]
    [InlineData("msg_keep", "msg_keep")]
    [InlineData("other", "msg_other")]
    public void Message_ids_get_the_anthropic_prefix(string openAiId, string expected) =>
        Assert.Equal(expected, OpenAIChatToAnthropicResponse.MessageId(openAiId));
}
