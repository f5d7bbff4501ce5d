using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// <c>count_tokens</c> and the usage the sandbox reports count a prompt the same way (OpenAI's, per-message
/// overhead included), whichever format the request is in.
/// </summary>
public sealed class TokenCountConsistencyTests : IAsyncLifetime
{
    private const string Tools = """
        [{"type":"function","function":{"name":"weather","description":"The weather in a city, now.","parameters":{"type":"object","properties":{"city":{"type":"string","description":"The city, in English."}},"required":["city"]}}}]
        """;

    private const string AnthropicTools = """
        [{"name":"weather","description":"The weather in a city, now.","input_schema":{"type":"object","properties":{"city":{"type":"string","description":"The city, in English."}},"required":["city"]}}]
        """;

    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> OpenAIPrompts => new()
    {
        { "one message", """ "messages":[{"role":"user","content":"Hello there"}] """ },
        { "system and turns", """ "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello there"},{"role":"assistant","content":"Hi! How can I help?"},{"role":"user","content":"Tell me about bridges."}] """ },
        { "content parts", """ "messages":[{"role":"user","content":[{"type":"text","text":"Hello"},{"type":"text","text":" there, bridges?"}]}] """ },
        { "tools", $$""" "messages":[{"role":"user","content":"Weather in Paris?"}],"tools":{{Tools}} """ },
    };

    public static TheoryData<string, string> AnthropicPrompts => new()
    {
        { "one message", """ "messages":[{"role":"user","content":"Hello there"}] """ },
        { "system and turns", """ "system":"Be brief.","messages":[{"role":"user","content":"Hello there"},{"role":"assistant","content":"Hi! How can I help?"},{"role":"user","content":"Tell me about bridges."}] """ },
        { "text block", """ "messages":[{"role":"user","content":[{"type":"text","text":"Hello there, bridges?"}]}] """ },
        { "system blocks", """ "system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":"Hello there"}] """ },
        { "tools", $$""" "messages":[{"role":"user","content":"Weather in Paris?"}],"tools":{{AnthropicTools}} """ },
    };

    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Hello_there_counts_as_OpenAI_reports_it_with_the_overhead_of_one_message_everywhere()
    {
        const string prompt = """ "messages":[{"role":"user","content":"Hello there"}] """;

        // 2 tokens of text, 1 for the role, 3 per message and 3 priming the reply.
        Assert.Equal(9, await CountTokensAsync(prompt));
        Assert.Equal(9, await ChatPromptTokensAsync(prompt));
        Assert.Equal(9, await MessagesInputTokensAsync(prompt));
    }

    [Theory]
    [MemberData(nameof(OpenAIPrompts))]
    public async Task Count_tokens_equals_the_prompt_tokens_of_a_chat_completion(string name, string prompt)
    {
        var counted = await CountTokensAsync(prompt);

        Assert.True(counted > 0, name);
        Assert.Equal(counted, await ChatPromptTokensAsync(prompt));
    }

    [Theory]
    [MemberData(nameof(AnthropicPrompts))]
    public async Task Count_tokens_equals_the_input_tokens_of_a_messages_call(string name, string prompt)
    {
        var counted = await CountTokensAsync(prompt);

        Assert.True(counted > 0, name);
        Assert.Equal(counted, await MessagesInputTokensAsync(prompt));
    }

    [Fact]
    public async Task An_Anthropic_request_counts_as_the_chat_completion_it_translates_to()
    {
        var anthropic = await CountTokensAsync(""" "system":"Be brief.","messages":[{"role":"user","content":[{"type":"text","text":"Hello there"}]}],"tools":""" + AnthropicTools);
        var openAI = await ChatPromptTokensAsync(""" "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello there"}],"tools":""" + Tools);

        Assert.Equal(openAI, anthropic);
    }

    private async Task<int> CountTokensAsync(string prompt)
    {
        var body = await PostAsync("/v1/messages/count_tokens", prompt);
        return body["input_tokens"]!.GetValue<int>();
    }

    private async Task<int> ChatPromptTokensAsync(string prompt)
    {
        var body = await PostAsync("/v1/chat/completions", prompt);
        return body["usage"]!["prompt_tokens"]!.GetValue<int>();
    }

    private async Task<int> MessagesInputTokensAsync(string prompt)
    {
        var body = await PostAsync("/v1/messages", "\"max_tokens\":64," + prompt);
        return body["usage"]!["input_tokens"]!.GetValue<int>();
    }

    private async Task<JsonNode> PostAsync(string path, string fields)
    {
        using var response = await _gateway.Client.PostAsync(path, new StringContent("{\"model\":\"sandbox\"," + fields + "}", Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
