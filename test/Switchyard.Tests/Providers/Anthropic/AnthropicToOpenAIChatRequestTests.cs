using Switchyard.Providers.Anthropic;
using Xunit;
using static Switchyard.Tests.Providers.Anthropic.TestJson;

namespace Switchyard.Tests.Providers.Anthropic;

public sealed class AnthropicToOpenAIChatRequestTests
{
    private static RequestTranslation Translate(string body) => AnthropicToOpenAIChatRequest.Translate(Bytes(body), "gpt-upstream");

    [Fact]
    public void Full_request_maps_system_sampling_stop_user_and_stream()
    {
        var result = Translate("""
            {"model":"claude-public","max_tokens":256,"system":"Be brief.","temperature":0.5,"top_p":0.8,"top_k":5,
             "stop_sequences":["END"],"metadata":{"user_id":"u-1"},"stream":true,
             "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"user","content":"Bye"}]}
            """);

        Assert.True(result.IsSuccess, result.Error);
        Assert.True(result.Stream);
        Assert.True(result.IncludeUsage);
        Equal("""
            {"model":"gpt-upstream",
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"user","content":"Bye"}],
             "max_tokens":256,"temperature":0.5,"top_p":0.8,"stop":["END"],"stream":true,"stream_options":{"include_usage":true},"user":"u-1"}
            """, result.Body);
    }

    [Fact]
    public void System_blocks_are_joined_and_non_stream_has_no_stream_options()
    {
        var result = Translate("""
            {"max_tokens":10,"system":[{"type":"text","text":"A","cache_control":{"type":"ephemeral"}},{"type":"text","text":"B"}],
             "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}
            """);

        Assert.False(result.Stream);
        Equal("""
            {"model":"gpt-upstream","messages":[{"role":"system","content":"A\n\nB"},{"role":"user","content":"Hi"}],"max_tokens":10}
            """, result.Body);
    }

    [Fact]
    public void Images_and_documents_become_image_url_and_file_parts()
    {
        var result = Translate("""
            {"max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"text","text":"Look"},
              {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
              {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},
              {"type":"document","title":"r.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}}]}]}
            """);

        Equal("""
            [{"role":"user","content":[
              {"type":"text","text":"Look"},
              {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},
              {"type":"image_url","image_url":{"url":"https://example.com/a.png"}},
              {"type":"file","file":{"filename":"r.pdf","file_data":"data:application/pdf;base64,JVBE"}}]}]
            """, Parse(result.Body)["messages"]);
    }

    [Fact]
    public void Tool_use_and_tool_result_round_trip()
    {
        var result = Translate("""
            {"max_tokens":10,"messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"hmm","signature":"sig"},
                {"type":"text","text":"Checking."},
                {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}},
                {"type":"tool_use","id":"toolu_2","name":"now","input":{}}]},
              {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},
                {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"noon"},{"type":"text","text":"UTC"}],"is_error":false},
                {"type":"text","text":"Thanks"}]},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_3","name":"now","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_3"}]}]}
            """);

        Assert.True(result.IsSuccess, result.Error);
        Equal("""
            [{"role":"user","content":"Weather?"},
             {"role":"assistant","content":"Checking.","tool_calls":[
               {"id":"toolu_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
               {"id":"toolu_2","type":"function","function":{"name":"now","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
             {"role":"tool","tool_call_id":"toolu_2","content":"noon\nUTC"},
             {"role":"user","content":"Thanks"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_3","type":"function","function":{"name":"now","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"toolu_3","content":""}]
            """, Parse(result.Body)["messages"]);
    }

    [Fact]
    public void Tools_map_to_functions()
    {
        var result = Translate("""
            {"max_tokens":10,"messages":[{"role":"user","content":"x"}],
             "tools":[{"name":"weather","description":"Get weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},
                      {"type":"custom","name":"now","input_schema":{"type":"object"}}]}
            """);

        Equal("""
            [{"type":"function","function":{"name":"weather","description":"Get weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
             {"type":"function","function":{"name":"now","parameters":{"type":"object"}}}]
            """, Parse(result.Body)["tools"]);
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", "\"auto\"", null)]
    [InlineData("""{"type":"any"}""", "\"required\"", null)]
    [InlineData("""{"type":"none"}""", "\"none\"", null)]
    [InlineData("""{"type":"tool","name":"weather"}""", """{"type":"function","function":{"name":"weather"}}""", null)]
    [InlineData("""{"type":"any","disable_parallel_tool_use":true}""", "\"required\"", false)]
    [InlineData("""{"type":"auto","disable_parallel_tool_use":false}""", "\"auto\"", null)]
    public void Tool_choice_variants(string toolChoice, string expected, bool? parallel)
    {
        var result = Translate($$$"""
            {"max_tokens":10,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"weather","input_schema":{"type":"object"}}],"tool_choice":{{{toolChoice}}}}
            """);

        Assert.True(result.IsSuccess, result.Error);
        var body = Parse(result.Body);
        Equal(expected, body["tool_choice"]);
        Assert.Equal(parallel, body["parallel_tool_calls"]?.GetValue<bool>());
    }

    [Theory]
    [InlineData("nope", "not valid JSON")]
    [InlineData("\"x\"", "'body' must be an object")]
    [InlineData("""{"max_tokens":1}""", "'messages' is required")]
    [InlineData("""{"messages":[{"role":"system","content":"x"}]}""", "\"system\" is not supported")]
    [InlineData("""{"messages":[{"role":"user"}]}""", "'messages[0].content' is required")]
    [InlineData("""{"messages":[{"role":"user","content":7}]}""", "must be a string or an array")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"audio"}]}]}""", "\"audio\" is not supported")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}]}""", "\"file\" is not supported")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"document","source":{"type":"url","url":"https://x"}}]}]}""", "use base64")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"tool_result"}]}]}""", "tool_use_id' is required")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"image"}]}]}]}""", "carry only text")]
    [InlineData("""{"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":"x"}]}]}""", "input' must be an object")]
    [InlineData("""{"messages":[{"role":"assistant","content":[{"type":"server_tool_use"}]}]}""", "\"server_tool_use\" is not supported")]
    [InlineData("""{"messages":[],"system":5}""", "'system' must be a string")]
    [InlineData("""{"messages":[],"system":[{"type":"image"}]}""", "must be a text block")]
    [InlineData("""{"messages":[],"max_tokens":1.5}""", "'max_tokens' must be an integer")]
    [InlineData("""{"messages":[],"stop_sequences":"END"}""", "'stop_sequences' must be an array")]
    [InlineData("""{"messages":[],"metadata":[]}""", "'metadata' must be an object")]
    [InlineData("""{"messages":[],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", "server tool")]
    [InlineData("""{"messages":[],"tools":[{"name":"f"}],"tool_choice":{"type":"maybe"}}""", "\"maybe\" is not supported")]
    [InlineData("""{"messages":[],"tools":[{"name":"f"}],"tool_choice":"auto"}""", "'tool_choice' must be an object")]
    public void Malformed_input_returns_an_error_instead_of_throwing(string body, string fragment)
    {
        var result = Translate(body);
        Assert.False(result.IsSuccess);
        Assert.Contains(fragment, result.Error, StringComparison.Ordinal);
    }
}
