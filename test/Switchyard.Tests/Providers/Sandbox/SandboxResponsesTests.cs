using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.Providers;
using Switchyard.Providers.Sandbox;
using Xunit;
using static Switchyard.Tests.Providers.Sandbox.SandboxTestKit;

namespace Switchyard.Tests.Providers.Sandbox;

public sealed class SandboxResponsesTests
{
    [Fact]
    public async Task Response_HasAMessageOutputAndUsage()
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        const string Body = """{"model":"gpt-4o","instructions":"Be kind.","input":[{"role":"user","content":[{"type":"input_text","text":"Hello there"}]}]}""";

        (int status, JsonElement json) = await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, Body);

        Assert.Equal(200, status);
        Assert.Equal("response", json.GetProperty("object").GetString());
        Assert.StartsWith("resp_sbx_", json.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", json.GetProperty("status").GetString());
        Assert.Equal("gpt-4o", json.GetProperty("model").GetString());
        JsonElement message = json.GetProperty("output").EnumerateArray().Single();
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        JsonElement part = message.GetProperty("content").EnumerateArray().Single();
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        Assert.Equal(0, part.GetProperty("annotations").GetArrayLength());
        string text = part.GetProperty("text").GetString()!;
        JsonElement usage = json.GetProperty("usage");
        int input = TokenCounter.Count("Be kind.", "gpt-4o") + TokenCounter.Count("Hello there", "gpt-4o");
        Assert.Equal(input, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(TokenCounter.Count(text, "gpt-4o"), usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(input + TokenCounter.Count(text, "gpt-4o"), usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public async Task MaxOutputTokens_MakesTheResponseIncomplete()
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));

        (_, JsonElement json) = await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, """{"input":"Hi","max_output_tokens":4}""");

        Assert.Equal("incomplete", json.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", json.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(4, json.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task FunctionCallOutput_IsAnsweredWithTextReferringToIt()
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        const string Body = """
            {"input":[{"role":"user","content":"Weather?"},
              {"type":"function_call","call_id":"c1","name":"get_weather","arguments":"{}"},
              {"type":"function_call_output","call_id":"c1","output":"rainy, 9C"}]}
            """;

        (_, JsonElement json) = await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, Body);

        string text = json.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.Contains("get_weather", text, StringComparison.Ordinal);
        Assert.Contains("rainy, 9C", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_EmitsTheEventsInOrderWithSequenceNumbers()
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        await using UpstreamResponse response = await SendAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses, """{"model":"m","stream":true,"input":"Tell me a story"}""");

        Assert.True(response.IsEventStream);
        List<string> events = await ReadAllEventsAsync(response.Body);

        string[] names = [.. events.Select(e => EventName(e)!)];
        int deltas = names.Count(n => n == "response.output_text.delta");
        Assert.True(deltas > 5);
        string[] expected =
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            .. Enumerable.Repeat("response.output_text.delta", deltas),
            "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
        ];
        Assert.Equal(expected, names);

        JsonElement[] data = [.. events.Select(Data)];
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(names[i], data[i].GetProperty("type").GetString());
            Assert.Equal(i, data[i].GetProperty("sequence_number").GetInt32());
        }

        Assert.Equal("in_progress", data[0].GetProperty("response").GetProperty("status").GetString());
        string streamed = string.Concat(data.Where(d => d.GetProperty("type").GetString() == "response.output_text.delta").Select(d => d.GetProperty("delta").GetString()));
        Assert.Equal(streamed, data[^4].GetProperty("text").GetString());
        JsonElement completed = data[^1].GetProperty("response");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(streamed, completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(TokenCounter.Count(streamed, "m"), completed.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(TokenCounter.Count("Tell me a story", "m"), completed.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task JsonSchemaTextFormat_AnswersWithAValidDocument()
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        const string Schema = """{"type":"object","properties":{"name":{"type":"string"},"count":{"type":"integer","minimum":0,"maximum":9}},"required":["name","count"],"additionalProperties":false}""";
        using JsonDocument schema = JsonDocument.Parse(Schema);

        (_, JsonElement json) = await SendJsonAsync(adapter, Deployment(adapter), WireFormat.OpenAIResponses,
            $$$"""{"input":"x","text":{"format":{"type":"json_schema","name":"thing","schema":{{{Schema}}} } } }""");

        using JsonDocument answer = JsonDocument.Parse(json.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!);
        Assert.Null(SchemaCheck.Violation(answer.RootElement, schema.RootElement));
    }
}
