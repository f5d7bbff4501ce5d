using Xunit;
using Switchyard.Providers.Anthropic;
using static Switchyard.Tests.Providers.Anthropic.TestJson;

namespace Switchyard.Tests.Providers.Anthropic;

public sealed class OpenAIChatToAnthropicRequestTests
{
    private static RequestTranslation Translate(string body, int defaultMaxTokens = 4096) =>
        OpenAIChatToAnthropicRequest.Translate(Bytes(body), "claude-upstream", defaultMaxTokens);

    private static void Fails(string body, string fragment)
    {
        var result = Translate(body);
        Assert.False(result.IsSuccess);
        Assert.Null(result.Body);
        Assert.Contains(fragment, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simple_request_gets_upstream_model_and_default_max_tokens()
    {
        var result = Translate("""{"model":"public","messages":[{"role":"user","content":"Hi"}]}""", defaultMaxTokens: 1234);

        Assert.True(result.IsSuccess, result.Error);
        Assert.False(result.Stream);
        Assert.False(result.IncludeUsage);
        Equal("""
            {"model":"claude-upstream","max_tokens":1234,
             "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}
            """, result.Body);
    }

    [Fact]
    public void System_and_developer_messages_become_top_level_system()
    {
        var single = Translate("""{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""");
        Assert.Equal("Be brief.", Parse(single.Body)["system"]!.GetValue<string>());

        var several = Translate("""
            {"messages":[
              {"role":"system","content":"One."},
              {"role":"user","content":"Hi"},
              {"role":"developer","content":[{"type":"text","text":"Two."},{"type":"text","text":"Three."}]}]}
            """);
        Equal("""[{"type":"text","text":"One."},{"type":"text","text":"Two."},{"type":"text","text":"Three."}]""", Parse(several.Body)["system"]);
        Equal("""[{"role":"user","content":[{"type":"text","text":"Hi"}]}]""", Parse(several.Body)["messages"]);
    }

    [Fact]
    public void Multi_turn_conversation_merges_consecutive_same_role_messages()
    {
        var result = Translate("""
            {"messages":[
              {"role":"user","content":"a"},
              {"role":"user","content":[{"type":"text","text":"b"}]},
              {"role":"assistant","content":"c"},
              {"role":"assistant","content":""},
              {"role":"assistant","content":"d"},
              {"role":"user","content":"e"}]}
            """);

        Assert.True(result.IsSuccess, result.Error);
        Equal("""
            [{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
             {"role":"assistant","content":[{"type":"text","text":"c"},{"type":"text","text":"d"}]},
             {"role":"user","content":[{"type":"text","text":"e"}]}]
            """, Parse(result.Body)["messages"]);
    }

    [Fact]
    public void Empty_message_between_same_roles_does_not_split_the_turn()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"a"},{"role":"assistant","content":null},{"role":"user","content":"b"}]}
            """);

        Equal("""[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]""", Parse(result.Body)["messages"]);
    }

    [Fact]
    public void Images_map_data_urls_to_base64_and_http_urls_to_url_sources()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K","detail":"high"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
              {"type":"image_url","image_url":"http://example.com/dog.gif"}]}]}
            """);

        Assert.True(result.IsSuccess, result.Error);
        Equal("""
            [{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0K"}},
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
              {"type":"image","source":{"type":"url","url":"http://example.com/dog.gif"}}]}]
            """, Parse(result.Body)["messages"]);
    }

    [Fact]
    public void Inline_pdf_file_becomes_a_document_block()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":[{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0"}}]}]}
            """);

        Equal("""
            [{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0"},"title":"a.pdf"}]}]
            """, Parse(result.Body)["messages"]);
    }

    [Theory]
    [InlineData("""{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}""", "http(s) URL")]
    [InlineData("""{"type":"image_url","image_url":{"url":"data:image/png,abc"}}""", "base64 data URL")]
    [InlineData("""{"type":"image_url","image_url":{"url":"data:;base64,abc"}}""", "no media type")]
    [InlineData("""{"type":"image_url"}""", "image_url' is required")]
    [InlineData("""{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}""", "audio")]
    [InlineData("""{"type":"file","file":{"file_id":"file-1"}}""", "file_data' is required")]
    [InlineData("""{"type":"video"}""", "\"video\" is not supported")]
    [InlineData("""{"text":"no type"}""", "content[0].type' is required")]
    public void Unsupported_or_malformed_user_parts_are_errors(string part, string fragment) =>
        Fails($$"""{"messages":[{"role":"user","content":[{{part}}]}]}""", fragment);

    [Fact]
    public void Tool_calls_and_tool_results_round_trip_into_tool_use_and_tool_result_blocks()
    {
        var result = Translate("""
            {"messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":"Checking.","tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"call_2","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Rome\"}"}},
                {"id":"call_3","type":"function","function":{"name":"now","arguments":""}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18C"},
              {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"22C"}]},
              {"role":"tool","tool_call_id":"call_3","content":""},
              {"role":"user","content":"Thanks"}]}
            """);

        Assert.True(result.IsSuccess, result.Error);
        Equal("""
            [{"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome?"}]},
             {"role":"assistant","content":[
               {"type":"text","text":"Checking."},
               {"type":"tool_use","id":"call_1","name":"weather","input":{"city":"Paris"}},
               {"type":"tool_use","id":"call_2","name":"weather","input":{"city":"Rome"}},
               {"type":"tool_use","id":"call_3","name":"now","input":{}}]},
             {"role":"user","content":[
               {"type":"tool_result","tool_use_id":"call_1","content":"18C"},
               {"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"22C"}]},
               {"type":"tool_result","tool_use_id":"call_3"},
               {"type":"text","text":"Thanks"}]}]
            """, Parse(result.Body)["messages"]);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    public void Invalid_tool_arguments_are_errors(string arguments, string fragment)
    {
        var escaped = System.Text.Json.JsonSerializer.Serialize(arguments);
        Fails($$$"""
            {"messages":[{"role":"user","content":"x"},
              {"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":{{{escaped}}}}}]}]}
            """, fragment);
    }

    [Fact]
    public void Tools_map_to_input_schema_with_a_default_schema()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"x"}],
             "tools":[
               {"type":"function","function":{"name":"weather","description":"Get weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}},
               {"type":"function","function":{"name":"now"}}]}
            """);

        Equal("""
            [{"name":"weather","description":"Get weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
             {"name":"now","input_schema":{"type":"object","properties":{}}}]
            """, Parse(result.Body)["tools"]);
        Assert.Null(Parse(result.Body)["tool_choice"]);
    }

    [Theory]
    [InlineData("\"auto\"", null, """{"type":"auto"}""")]
    [InlineData("\"none\"", null, """{"type":"none"}""")]
    [InlineData("\"required\"", null, """{"type":"any"}""")]
    [InlineData("""{"type":"function","function":{"name":"weather"}}""", null, """{"type":"tool","name":"weather"}""")]
    [InlineData("\"required\"", false, """{"type":"any","disable_parallel_tool_use":true}""")]
    [InlineData(null, false, """{"type":"auto","disable_parallel_tool_use":true}""")]
    [InlineData("\"none\"", false, """{"type":"none"}""")]
    [InlineData("\"auto\"", true, """{"type":"auto"}""")]
    public void Tool_choice_variants(string? toolChoice, bool? parallel, string expected)
    {
        var extra = (toolChoice is null ? "" : $",\"tool_choice\":{toolChoice}") + (parallel is null ? "" : $",\"parallel_tool_calls\":{(parallel.Value ? "true" : "false")}");
        var result = Translate($$$"""
            {"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"weather"}}]{{{extra}}}}
            """);

        Assert.True(result.IsSuccess, result.Error);
        Equal(expected, Parse(result.Body)["tool_choice"]);
    }

    [Fact]
    public void Tool_choice_without_tools_is_dropped()
    {
        var result = Translate("""{"messages":[{"role":"user","content":"x"}],"tool_choice":"required"}""");
        Assert.True(result.IsSuccess, result.Error);
        Assert.Null(Parse(result.Body)["tool_choice"]);
    }

    [Theory]
    [InlineData("\"sometimes\"", "\"sometimes\" is not supported")]
    [InlineData("""{"type":"allowed_tools"}""", "\"allowed_tools\" is not supported")]
    [InlineData("42", "must be a string or an object")]
    public void Bad_tool_choice_is_an_error(string toolChoice, string fragment) =>
        Fails($$$"""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{{{toolChoice}}}}""", fragment);

    [Fact]
    public void Stop_sampling_stream_and_user_are_mapped()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"x"}],"stop":["END","","STOP"],"temperature":0.25,"top_p":0.9,
             "stream":true,"stream_options":{"include_usage":true},"user":"u-42","max_tokens":100,"n":1,"seed":7,
             "presence_penalty":0.1,"logit_bias":{"1":2}}
            """);

        Assert.True(result.IsSuccess, result.Error);
        Assert.True(result.Stream);
        Assert.True(result.IncludeUsage);
        Equal("""
            {"model":"claude-upstream","max_tokens":100,"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
             "stop_sequences":["END","STOP"],"temperature":0.25,"top_p":0.9,"stream":true,"metadata":{"user_id":"u-42"}}
            """, result.Body);
    }

    [Fact]
    public void Single_stop_string_and_max_completion_tokens_win()
    {
        var result = Translate("""{"messages":[{"role":"user","content":"x"}],"stop":"END","max_tokens":10,"max_completion_tokens":20}""");

        Equal("""["END"]""", Parse(result.Body)["stop_sequences"]);
        Assert.Equal(20, Parse(result.Body)["max_tokens"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{\"messages\":[", "not valid JSON")]
    [InlineData("{} {}", "not valid JSON")]
    [InlineData("[]", "'body' must be an object")]
    [InlineData("{}", "'messages' is required")]
    [InlineData("""{"messages":{}}""", "'messages' must be an array")]
    [InlineData("""{"messages":[]}""", "must not be empty")]
    [InlineData("""{"messages":["hi"]}""", "'messages[0]' must be an object")]
    [InlineData("""{"messages":[{"content":"x"}]}""", "'messages[0].role' is required")]
    [InlineData("""{"messages":[{"role":"function","content":"x"}]}""", "\"function\" is not supported")]
    [InlineData("""{"messages":[{"role":"user","content":5}]}""", "must be a string or an array")]
    [InlineData("""{"messages":[{"role":"system","content":[{"type":"image_url"}]}]}""", "system messages carry only text")]
    [InlineData("""{"messages":[{"role":"system","content":"only system"}]}""", "at least one user or assistant")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"n":2}""", "'n' greater than 1")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"max_tokens":"10"}""", "'max_tokens' must be an integer")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"max_tokens":0}""", "at least 1")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"temperature":"hot"}""", "'temperature' must be a number")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stream":"yes"}""", "'stream' must be a boolean")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stop":[1]}""", "'stop[0]' must be a string")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stop":{}}""", "'stop' must be a string or an array")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search"}]}""", "only function tools")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]}""", "'tools[0].function' is required")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":"x"}}]}""", "parameters' must be an object")]
    [InlineData("""{"messages":[{"role":"tool","content":"x"}]}""", "'messages[0].tool_call_id' is required")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function"}]}]}""", "'messages[0].tool_calls[0].function' is required")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"custom","custom":{}}]}]}""", "only function tool calls")]
    [InlineData("""{"messages":[{"role":"assistant","content":[{"type":"image_url"}]}]}""", "not supported in assistant messages")]
    public void Malformed_input_returns_an_error_instead_of_throwing(string body, string fragment) => Fails(body, fragment);

    [Fact]
    public void Deeply_nested_input_is_an_error()
    {
        var deep = new string('[', 500) + new string(']', 500);
        Fails($$"""{"messages":[{"role":"user","content":"x"}],"tools":{{deep}}}""", "not valid JSON");
    }

    [Fact]
    public void Non_ascii_text_is_kept_unescaped()
    {
        var result = Translate("""{"messages":[{"role":"user","content":"héllo <b> 日本"}]}""");
        Assert.Contains("héllo <b> 日本", Text(result.Body), StringComparison.Ordinal);
    }
}
