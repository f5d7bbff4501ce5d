using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Routing;

/// <summary>Routing seen through the official OpenAI .NET SDK: the SDK never learns a deployment failed.</summary>
public sealed class RoutingSdkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plain_and_streamed_calls_survive_a_broken_provider_through_the_sdk()
    {
        // One sandbox deployment always fails; the group falls back to a healthy one.
        await using var gateway = await TestGateway.StartAsync(o =>
        {
            o.ModelGroups["primary"] = new ModelGroupOptions
            {
                Deployments = [new DeploymentOptions { Name = "broken", Provider = "sandbox", Model = "primary", Sandbox = { ErrorRate = 1 } }],
                Fallbacks = ["secondary"],
            };
            o.ModelGroups["secondary"] = new ModelGroupOptions
            {
                Deployments = [new DeploymentOptions { Name = "steady", Provider = "sandbox", Model = "secondary" }],
            };
            o.Routing.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        });

        // The SDK's own retries are off, so any success is the gateway's doing.
        var client = new OpenAIClient(new ApiKeyCredential("sk-anything"), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.BaseUrl + "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
        var chat = client.GetChatClient("primary");

        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync([new UserChatMessage("Say hello")], cancellationToken: Ct);
        Assert.False(string.IsNullOrWhiteSpace(result.Value.Content[0].Text));
        var raw = result.GetRawResponse();
        Assert.True(raw.Headers.TryGetValue("x-switchyard-deployment", out var deployment));
        Assert.Equal("steady", deployment);
        Assert.True(raw.Headers.TryGetValue("x-switchyard-fallback", out var fallback));
        Assert.Equal("secondary", fallback);
        Assert.True(raw.Headers.TryGetValue("x-switchyard-attempts", out var attempts));
        Assert.Equal("4", attempts); // three tries of the broken deployment, then the fallback

        var text = new System.Text.StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Tell me a story")], new ChatCompletionOptions(), Ct))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.True(text.Length > 0);
    }
}
