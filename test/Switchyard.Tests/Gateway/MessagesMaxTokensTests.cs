using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Gateway;

/// <summary>Anthropic's Messages API requires a positive <c>max_tokens</c>; its <c>count_tokens</c> takes none.</summary>
public sealed class MessagesMaxTokensTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Refused => new()
    {
        { "missing", "" },
        { "null", ",\"max_tokens\":null" },
        { "string", ",\"max_tokens\":\"16\"" },
        { "negative", ",\"max_tokens\":-1" },
        { "zero", ",\"max_tokens\":0" },
        { "fraction", ",\"max_tokens\":1.5" },
        { "object", ",\"max_tokens\":{}" },
    };

    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Messages_without_a_positive_integer_max_tokens_is_refused_in_Anthropic_shape(string name, string maxTokens)
    {
        _ = name;
        foreach (var stream in (string[])["", ",\"stream\":true"])
        {
            using var response = await PostAsync("/v1/messages", $$"""{"model":"sandbox"{{maxTokens}}{{stream}},"messages":[{"role":"user","content":"Hello there"}]}""");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
            Assert.Equal("error", body["type"]!.GetValue<string>());
            Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
            Assert.Contains("max_tokens", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_missing_max_tokens_is_named_as_a_required_field()
    {
        using var response = await PostAsync("/v1/messages", """{"model":"sandbox","messages":[{"role":"user","content":"Hello there"}]}""");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("max_tokens: Field required", body["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_with_max_tokens_and_count_tokens_and_chat_completions_without_it_are_answered()
    {
        using (var messages = await PostAsync("/v1/messages", """{"model":"sandbox","max_tokens":1,"messages":[{"role":"user","content":"Hello there"}]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, messages.StatusCode);
        }

        using (var count = await PostAsync("/v1/messages/count_tokens", """{"model":"sandbox","messages":[{"role":"user","content":"Hello there"}]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        }

        using var chat = await PostAsync("/v1/chat/completions", """{"model":"sandbox","messages":[{"role":"user","content":"Hello there"}]}""");
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string json)
    {
        var response = await _gateway.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }
}
