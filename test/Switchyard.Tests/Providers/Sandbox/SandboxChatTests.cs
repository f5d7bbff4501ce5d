using System.Text.Json;
using Switchyard.Accounting;
using static Switchyard.Tests.Providers.Sandbox.SandboxTestKit;
using Xunit;

namespace Switchyard.Tests.Providers.Sandbox;

public sealed class SandboxChatTests
{
    private const string Hello = """{"model":"sandbox-chat","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Tell me about bridges."}]}]}""";

    private static readonly string s_weatherTool = """
        {"type":"function","function":{"name":"get_weather","description":"Weather for a city","parameters":{
          "type":"object",
          "properties":{
            "city":{"type":"string","maxLength":40},
            "unit":{"type":"string","enum":["celsius","fahrenheit"]},
            "days":{"type":"integer","minimum":1,"maximum":7},
            "threshold":{"type":"number","minimum":-10.5,"maximum":10.5},
            "alerts":{"type":"boolean"},
            "when":{"type":"string","format":"date-time"},
            "tags":{"type":"array","items":{"type":"string"},"minItems":2,"maxItems":4},
            "area":{"type":"object","properties":{"lat":{"type":"number"},"lon":{"type":"number"}},"required":["lat","lon"],"additionalProperties":false}
          },
          "required":["city","unit","days","threshold","alerts","when","tags","area"],
          "additionalProperties":false}}}
        """;

    private static readonly string s_searchTool = """{"type":"function","function":{"name":"search","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}}""";

    [Fact]
    public async Task Answer_IsAChatCompletionLabelledSimulated()
    {
        (int status, JsonElement json) = await ChatAsync(Hello);

        Assert.Equal(200, status);
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-sbx-", json.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("fp_sandbox_simulated", json.GetProperty("system_fingerprint").GetString());
        Assert.Equal("sandbox-chat", json.GetProperty("model").GetString());
        JsonElement choice = json.GetProperty("choices").EnumerateArray().Single();
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        string content = choice.GetProperty("message").GetProperty("content").GetString()!;
        Assert.Matches(@"^[A-Z][a-z]+( [A-Za-z,]+)*\.( [A-Z][a-z]+( [A-Za-z,]+)*\.)*$", content);
    }

    [Fact]
    public async Task SameBodyAndSeed_GiveTheSameAnswer_OtherSeedOrBodyDoNot()
    {
        string Content(JsonElement json) => json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

        string first = Content((await ChatAsync(Hello)).Json);
        string second = Content((await ChatAsync(Hello)).Json);
        string otherSeed = Content((await ChatAsync(Hello, o => o.Seed = 42)).Json);
        string otherBody = Content((await ChatAsync(Hello.Replace("bridges", "rivers", StringComparison.Ordinal))).Json);

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(first, otherBody);
    }

    [Fact]
    public async Task Usage_CountsThePromptAsOpenAIDoesAndTheGeneratedText()
    {
        (_, JsonElement json) = await ChatAsync(Hello);

        JsonElement usage = json.GetProperty("usage");
        string content = json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

        // Each message's role and text, 3 tokens per message and 3 priming the reply.
        int prompt = TokenCounter.Count("system", "sandbox-chat") + TokenCounter.Count("Be brief.", "sandbox-chat")
            + TokenCounter.Count("user", "sandbox-chat") + TokenCounter.Count("Tell me about bridges.", "sandbox-chat") + (2 * 3) + 3;
        Assert.Equal(prompt, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(TokenCounter.Count(content, "sandbox-chat"), usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(prompt + TokenCounter.Count(content, "sandbox-chat"), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task DefaultAnswerTokens_SetsTheNaturalLength()
    {
        (_, JsonElement json) = await ChatAsync(Hello, o => o.DefaultAnswerTokens = 200);

        int completion = json.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        Assert.InRange(completion, 200, 240);
        Assert.Equal("stop", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task TokenLimit_CutsTheAnswerWithLength(string field)
    {
        string body = Hello.Replace("{\"model\"", $"{{\"{field}\":5,\"model\"", StringComparison.Ordinal);

        (_, JsonElement json) = await ChatAsync(body);

        Assert.Equal("length", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(5, json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task StopSequence_EndsTheAnswerBeforeIt()
    {
        string body = Hello.Replace("{\"model\"", "{\"stop\":[\"e\",\"zzz\"],\"model\"", StringComparison.Ordinal);

        (_, JsonElement json) = await ChatAsync(body);

        JsonElement choice = json.GetProperty("choices")[0];
        string content = choice.GetProperty("message").GetProperty("content").GetString()!;
        Assert.DoesNotContain('e', content);
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.True(content.Length < 40, content);
    }

    [Fact]
    public async Task N_GivesThatManyDistinctChoices_AndUsageSumsThem()
    {
        string body = Hello.Replace("{\"model\"", "{\"n\":3,\"model\"", StringComparison.Ordinal);

        (_, JsonElement json) = await ChatAsync(body);

        JsonElement[] choices = [.. json.GetProperty("choices").EnumerateArray()];
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        string[] contents = [.. choices.Select(c => c.GetProperty("message").GetProperty("content").GetString()!)];
        Assert.Equal(3, contents.Distinct().Count());
        Assert.Equal(contents.Sum(c => TokenCounter.Count(c, "sandbox-chat")), json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Tools_AnswerWithACallWhoseArgumentsFitTheSchema()
    {
        using JsonDocument tool = JsonDocument.Parse(s_weatherTool);
        JsonElement schema = tool.RootElement.GetProperty("function").GetProperty("parameters");
        for (int i = 0; i < 20; i++)
        {
            string body = $$$"""{"model":"m","messages":[{"role":"user","content":"Weather in city {{{i}}}?"}],"tools":[{{{s_weatherTool}}}]}""";

            (_, JsonElement json) = await ChatAsync(body);

            JsonElement choice = json.GetProperty("choices")[0];
            Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
            JsonElement message = choice.GetProperty("message");
            Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
            JsonElement call = message.GetProperty("tool_calls").EnumerateArray().Single();
            Assert.StartsWith("call_sbx_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.Equal("function", call.GetProperty("type").GetString());
            Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
            string arguments = call.GetProperty("function").GetProperty("arguments").GetString()!;
            using JsonDocument parsed = JsonDocument.Parse(arguments);
            Assert.Null(SchemaCheck.Violation(parsed.RootElement, schema));
            Assert.Equal(TokenCounter.Count(arguments, "m"), json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        }
    }

    [Fact]
    public async Task ToolChoice_NamedPicksThatFunction_NoneAnswersInText()
    {
        string named = $$$"""{"messages":[{"role":"user","content":"go"}],"tools":[{{{s_weatherTool}}},{{{s_searchTool}}}],"tool_choice":{"type":"function","function":{"name":"search"} } }""";
        string none = $$$"""{"messages":[{"role":"user","content":"go"}],"tools":[{{{s_weatherTool}}}],"tool_choice":"none"}""";
        string required = $$$"""{"messages":[{"role":"user","content":"go"}],"tools":[{{{s_searchTool}}}],"tool_choice":"required"}""";

        JsonElement namedChoice = (await ChatAsync(named)).Json.GetProperty("choices")[0];
        JsonElement noneChoice = (await ChatAsync(none)).Json.GetProperty("choices")[0];
        JsonElement requiredChoice = (await ChatAsync(required)).Json.GetProperty("choices")[0];

        Assert.Equal("search", namedChoice.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("stop", noneChoice.GetProperty("finish_reason").GetString());
        Assert.False(string.IsNullOrEmpty(noneChoice.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal("tool_calls", requiredChoice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ToolResult_IsAnsweredInTextThatRefersToIt()
    {
        string body = $$$"""
            {"messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18 degrees and sunny"}],
             "tools":[{{{s_weatherTool}}}]}
            """;

        (_, JsonElement json) = await ChatAsync(body);

        JsonElement choice = json.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        string content = choice.GetProperty("message").GetProperty("content").GetString()!;
        Assert.Contains("get_weather", content, StringComparison.Ordinal);
        Assert.Contains("18 degrees and sunny", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonObjectFormat_AnswersWithAJsonObject()
    {
        string body = """{"messages":[{"role":"user","content":"json please"}],"response_format":{"type":"json_object"}}""";

        (_, JsonElement json) = await ChatAsync(body);

        using JsonDocument content = JsonDocument.Parse(json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!);
        Assert.Equal(JsonValueKind.Object, content.RootElement.ValueKind);
    }

    [Fact]
    public async Task JsonSchemaFormat_AnswersWithAValidDocument()
    {
        const string Schema = """
            {"type":"object","properties":{
              "title":{"type":"string"},
              "rating":{"type":"integer","minimum":1,"maximum":5},
              "kind":{"anyOf":[{"type":"string","enum":["book","film"]},{"type":"null"}]},
              "people":{"type":"array","items":{"$ref":"#/$defs/person"},"minItems":1,"maxItems":3}},
             "required":["title","rating","kind","people"],"additionalProperties":false,
             "$defs":{"person":{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0,"maximum":120}},"required":["name","age"],"additionalProperties":false}}}
            """;
        using JsonDocument schema = JsonDocument.Parse(Schema);
        for (int i = 0; i < 10; i++)
        {
            string body = $$$"""{"messages":[{"role":"user","content":"review {{{i}}}"}],"response_format":{"type":"json_schema","json_schema":{"name":"review","strict":true,"schema":{{{Schema}}} } } }""";

            (_, JsonElement json) = await ChatAsync(body);

            using JsonDocument content = JsonDocument.Parse(json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!);
            Assert.Null(SchemaCheck.Violation(content.RootElement, schema.RootElement));
        }
    }
}
