using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.Providers;
using Switchyard.Providers.Sandbox;
using Xunit;
using static Switchyard.Tests.Providers.Sandbox.SandboxTestKit;

namespace Switchyard.Tests.Providers.Sandbox;

/// <summary>Function tools on the sandbox's Responses API: answered with a <c>function_call</c> item, as chat completions answer with a tool call.</summary>
public sealed class SandboxResponsesToolsTests
{
    private const string WeatherTool = """
        {"type":"function","name":"get_weather","description":"Weather for a city","parameters":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"],"additionalProperties":false},"strict":true}
        """;

    private const string SearchTool = """{"type":"function","name":"search","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}""";

    private static SandboxAdapter Adapter() => new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));

    [Fact]
    public async Task Tools_AnswerWithAFunctionCallWhoseArgumentsFitTheSchema()
    {
        using JsonDocument tool = JsonDocument.Parse(WeatherTool);
        JsonElement schema = tool.RootElement.GetProperty("parameters");
        SandboxAdapter adapter = Adapter();
        for (int i = 0; i < 20; i++)
        {
            string body = $$"""{"model":"m","input":"Weather in city {{i}}?","tools":[{{WeatherTool}}]}""";

            (int status, JsonElement json) = await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, body);

            Assert.Equal(200, status);
            Assert.Equal("completed", json.GetProperty("status").GetString());
            JsonElement call = json.GetProperty("output").EnumerateArray().Single();
            Assert.Equal("function_call", call.GetProperty("type").GetString());
            Assert.StartsWith("fc_sbx_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("call_sbx_", call.GetProperty("call_id").GetString(), StringComparison.Ordinal);
            Assert.Equal("get_weather", call.GetProperty("name").GetString());
            Assert.Equal("completed", call.GetProperty("status").GetString());
            string arguments = call.GetProperty("arguments").GetString()!;
            using JsonDocument parsed = JsonDocument.Parse(arguments);
            Assert.Null(SchemaCheck.Violation(parsed.RootElement, schema));
            Assert.Equal(TokenCounter.Count(arguments, "m"), json.GetProperty("usage").GetProperty("output_tokens").GetInt32());
            Assert.Equal("get_weather", json.GetProperty("tools")[0].GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task The_same_request_gets_the_same_call()
    {
        SandboxAdapter adapter = Adapter();
        string body = $$"""{"model":"m","input":"Weather in Oslo?","tools":[{{WeatherTool}},{{SearchTool}}]}""";

        JsonElement first = (await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, body)).Json.GetProperty("output")[0];
        JsonElement second = (await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, body)).Json.GetProperty("output")[0];

        Assert.Equal(first.GetProperty("name").GetString(), second.GetProperty("name").GetString());
        Assert.Equal(first.GetProperty("call_id").GetString(), second.GetProperty("call_id").GetString());
        Assert.Equal(first.GetProperty("arguments").GetString(), second.GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task ToolChoice_NamedPicksThatFunction_NoneAnswersInText_RequiredCalls()
    {
        SandboxAdapter adapter = Adapter();
        string named = $$"""{"input":"go","tools":[{{WeatherTool}},{{SearchTool}}],"tool_choice":{"type":"function","name":"search"} }""";
        string none = $$"""{"input":"go","tools":[{{WeatherTool}}],"tool_choice":"none"}""";
        string required = $$"""{"input":"go","tools":[{{SearchTool}}],"tool_choice":"required"}""";

        JsonElement namedItem = (await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, named)).Json.GetProperty("output")[0];
        JsonElement noneItem = (await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, none)).Json.GetProperty("output")[0];
        JsonElement requiredItem = (await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, required)).Json.GetProperty("output")[0];

        Assert.Equal("search", namedItem.GetProperty("name").GetString());
        Assert.Equal("message", noneItem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(noneItem.GetProperty("content")[0].GetProperty("text").GetString()));
        Assert.Equal("function_call", requiredItem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task After_a_function_output_the_answer_is_text_that_refers_to_it()
    {
        SandboxAdapter adapter = Adapter();
        string body = $$"""
            {"model":"m","tools":[{{WeatherTool}}],"input":[
              {"role":"user","content":"Weather in Oslo?"},
              {"type":"function_call","call_id":"c1","name":"get_weather","arguments":"{\"city\":\"Oslo\",\"unit\":\"celsius\"}"},
              {"type":"function_call_output","call_id":"c1","output":"rainy, 9C"}]}
            """;

        (_, JsonElement json) = await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, body);

        JsonElement item = json.GetProperty("output").EnumerateArray().Single();
        Assert.Equal("message", item.GetProperty("type").GetString());
        Assert.Contains("rainy, 9C", item.GetProperty("content")[0].GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"input":"go","tools":[{"type":"web_search_preview"}]}""", "tools[0].type")]
    [InlineData("""{"input":"go","tools":[{"type":"function"}]}""", "tools[0].name")]
    [InlineData("""{"input":"go","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}""", "tool_choice")]
    [InlineData("""{"input":"go","tool_choice":"required"}""", "tool_choice")]
    public async Task Tools_the_sandbox_cannot_simulate_are_refused_with_400(string body, string param)
    {
        SandboxAdapter adapter = Adapter();

        (int status, JsonElement json) = await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, body);

        Assert.Equal(400, status);
        Assert.Equal(param, json.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Stream_emits_the_function_call_events_in_order()
    {
        SandboxAdapter adapter = Adapter();
        await using UpstreamResponse response = await SendAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, $$"""{"model":"m","stream":true,"input":"Weather in Oslo?","tools":[{{WeatherTool}}]}""");

        Assert.True(response.IsEventStream);
        List<string> events = await ReadAllEventsAsync(response.Body);
        string[] names = [.. events.Select(e => EventName(e)!)];
        int deltas = names.Count(n => n == "response.function_call_arguments.delta");
        Assert.True(deltas > 1);
        string[] expected =
        [
            "response.created", "response.in_progress", "response.output_item.added",
            .. Enumerable.Repeat("response.function_call_arguments.delta", deltas),
            "response.function_call_arguments.done", "response.output_item.done", "response.completed",
        ];
        Assert.Equal(expected, names);

        JsonElement[] data = [.. events.Select(Data)];
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(names[i], data[i].GetProperty("type").GetString());
            Assert.Equal(i, data[i].GetProperty("sequence_number").GetInt32());
        }

        JsonElement added = data[2].GetProperty("item");
        Assert.Equal("function_call", added.GetProperty("type").GetString());
        Assert.Equal("in_progress", added.GetProperty("status").GetString());
        Assert.Equal("", added.GetProperty("arguments").GetString());
        string itemId = added.GetProperty("id").GetString()!;
        string streamed = string.Concat(data.Where(d => d.GetProperty("type").GetString() == "response.function_call_arguments.delta").Select(d =>
        {
            Assert.Equal(itemId, d.GetProperty("item_id").GetString());
            return d.GetProperty("delta").GetString();
        }));
        JsonElement done = data[^3];
        Assert.Equal(streamed, done.GetProperty("arguments").GetString());
        Assert.Equal("get_weather", done.GetProperty("name").GetString());
        JsonElement item = data[^2].GetProperty("item");
        Assert.Equal(streamed, item.GetProperty("arguments").GetString());
        Assert.Equal(added.GetProperty("call_id").GetString(), item.GetProperty("call_id").GetString());
        JsonElement completed = data[^1].GetProperty("response");
        Assert.Equal(streamed, completed.GetProperty("output")[0].GetProperty("arguments").GetString());
        using JsonDocument parsed = JsonDocument.Parse(streamed);
        Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
    }
}
