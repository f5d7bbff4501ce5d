using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Identity;

/// <summary>Virtual keys, limits and per-key capture, end to end through the official OpenAI .NET SDK.</summary>
public sealed class VirtualKeySdkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ChatClient Chat(TestGateway gateway, string key) =>
        new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1"), RetryPolicy = new ClientRetryPolicy(maxRetries: 0) }).GetChatClient("sandbox");

    [Fact]
    public async Task The_SDK_calls_with_a_key_and_surfaces_limits_and_revocation_as_API_errors()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var (id, secret) = await gateway.CreateKeyAsync("""{"name":"sdk","limits":{"rpm":2}}""");
        var chat = Chat(gateway, secret);

        ClientResult<ChatCompletion> first = await chat.CompleteChatAsync([new UserChatMessage("Hi")], cancellationToken: Ct);
        Assert.Equal("1", first.GetRawResponse().Headers.TryGetValue("x-ratelimit-remaining-requests", out var remaining) ? remaining : null);
        await chat.CompleteChatAsync([new UserChatMessage("Hi")], cancellationToken: Ct);

        var limited = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")], cancellationToken: Ct));
        Assert.Equal((int)HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("Rate limit reached for key", limited.Message, StringComparison.Ordinal);

        await gateway.SendAsync(HttpMethod.Delete, $"/api/keys/{id}");
        var revoked = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")], cancellationToken: Ct));
        Assert.Equal((int)HttpStatusCode.Unauthorized, revoked.Status);
    }

    [Fact]
    public async Task A_key_can_keep_its_calls_content_out_of_traces()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var (_, quiet) = await gateway.CreateKeyAsync("""{"name":"tenant-with-pii","capture":"metadata"}""");
        var (_, loud) = await gateway.CreateKeyAsync("""{"name":"default-capture"}""");

        var hidden = await Chat(gateway, quiet).CompleteChatAsync([new UserChatMessage("my card is 4111 1111 1111 1111")], cancellationToken: Ct);
        var shown = await Chat(gateway, loud).CompleteChatAsync([new UserChatMessage("hello")], cancellationToken: Ct);

        var hiddenRow = await RecordedCalls.WaitForAsync(gateway, hidden.GetRawResponse().Headers.GetFirstValue("x-switchyard-trace-id"), Ct);
        var shownRow = await RecordedCalls.WaitForAsync(gateway, shown.GetRawResponse().Headers.GetFirstValue("x-switchyard-trace-id"), Ct);
        Assert.Null(hiddenRow["request_content"]);
        Assert.Null(hiddenRow["response_content"]);
        Assert.True((long)hiddenRow["input_tokens"]! > 0); // Metadata is still recorded.
        Assert.Contains("hello", (string)shownRow["request_content"]!, StringComparison.Ordinal);
    }
}

internal static class PipelineHeaders
{
    public static string GetFirstValue(this PipelineResponseHeaders headers, string name) =>
        headers.TryGetValue(name, out var value) ? value! : throw new InvalidOperationException($"No {name} header.");
}
