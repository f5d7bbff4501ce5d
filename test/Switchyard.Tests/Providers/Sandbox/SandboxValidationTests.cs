using System.Text.Json;
using Switchyard.Providers;
using Switchyard.Providers.Sandbox;
using Xunit;
using static Switchyard.Tests.Providers.Sandbox.SandboxTestKit;

namespace Switchyard.Tests.Providers.Sandbox;

public sealed class SandboxValidationTests
{
    public static TheoryData<string, string, string?> Malformed => new()
    {
        { "OpenAIChat", "{not json", null },
        { "OpenAIChat", "", null },
        { "OpenAIChat", "[1,2]", null },
        { "OpenAIChat", """{"model":"m"}""", "messages" },
        { "OpenAIChat", """{"messages":[]}""", "messages" },
        { "OpenAIChat", """{"messages":"hi"}""", "messages" },
        { "OpenAIChat", """{"messages":[{"content":"hi"}]}""", "messages[0].role" },
        { "OpenAIChat", """{"messages":[{"role":"user","content":5}]}""", "messages[0].content" },
        { "OpenAIChat", """{"model":7,"messages":[{"role":"user","content":"hi"}]}""", "model" },
        { "OpenAIChat", """{"max_tokens":"ten","messages":[{"role":"user","content":"hi"}]}""", "max_tokens" },
        { "OpenAIChat", """{"max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens" },
        { "OpenAIChat", """{"n":1.5,"messages":[{"role":"user","content":"hi"}]}""", "n" },
        { "OpenAIChat", """{"stream":"yes","messages":[{"role":"user","content":"hi"}]}""", "stream" },
        { "OpenAIChat", """{"stop":[1],"messages":[{"role":"user","content":"hi"}]}""", "stop" },
        { "OpenAIChat", """{"stop":["a","b","c","d","e"],"messages":[{"role":"user","content":"hi"}]}""", "stop" },
        { "OpenAIChat", """{"tools":{},"messages":[{"role":"user","content":"hi"}]}""", "tools" },
        { "OpenAIChat", """{"tools":[{"type":"function"}],"messages":[{"role":"user","content":"hi"}]}""", "tools[0].function" },
        { "OpenAIChat", """{"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"always","messages":[{"role":"user","content":"hi"}]}""", "tool_choice" },
        { "OpenAIChat", """{"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"g"}},"messages":[{"role":"user","content":"hi"}]}""", "tool_choice" },
        { "OpenAIChat", """{"response_format":{"type":"yaml"},"messages":[{"role":"user","content":"hi"}]}""", "response_format.type" },
        { "OpenAIChat", """{"response_format":{"type":"json_schema"},"messages":[{"role":"user","content":"hi"}]}""", "response_format.json_schema" },
        { "OpenAIResponses", """{"model":"m"}""", "input" },
        { "OpenAIResponses", """{"input":42}""", "input" },
        { "OpenAIResponses", """{"input":"hi","max_output_tokens":-1}""", "max_output_tokens" },
        { "OpenAIEmbeddings", """{"model":"m"}""", "input" },
        { "OpenAIEmbeddings", """{"input":""}""", "input" },
        { "OpenAIEmbeddings", """{"input":[]}""", "input" },
        { "OpenAIEmbeddings", """{"input":[true]}""", "input[0]" },
        { "OpenAIEmbeddings", """{"input":[1,-2]}""", "input" },
        { "OpenAIEmbeddings", """{"input":"hi","dimensions":0}""", "dimensions" },
        { "OpenAIEmbeddings", """{"input":"hi","encoding_format":"hex"}""", "encoding_format" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedRequests_Get400WithAnOpenAIError(string format, string body, string? param)
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));

        (int status, JsonElement json) = await SendJsonAsync(adapter, Deployment(adapter), Enum.Parse<WireFormat>(format), body);

        Assert.Equal(400, status);
        JsonElement error = json.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("code", out _));
        if (param is null)
        {
            Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        }
        else
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
    }

    [Theory]
    [InlineData("AnthropicMessages")]
    [InlineData("AnthropicCountTokens")]
    public async Task AnthropicFormats_Get400(string format)
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));

        (int status, JsonElement json) = await SendJsonAsync(adapter, Deployment(adapter), Enum.Parse<WireFormat>(format), """{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(400, status);
        Assert.Equal("invalid_request_error", json.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public void Adapter_DescribesItself()
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));

        Assert.Equal("sandbox", adapter.Provider);
        Assert.False(adapter.SpeaksAnthropic);
        Assert.True(Deployment(adapter).IsSimulated);
    }
}
