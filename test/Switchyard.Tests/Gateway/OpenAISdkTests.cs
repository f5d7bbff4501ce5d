using Xunit;
using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Gateway;

/// <summary>End to end through the official OpenAI .NET SDK, against the sandbox model.</summary>
public sealed class OpenAISdkTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private OpenAIClient Client() => new(new ApiKeyCredential("sk-anything"), new OpenAIClientOptions { Endpoint = new Uri(_gateway.BaseUrl + "/v1") });

    [Fact]
    public async Task Chat_ReturnsSimulatedAnswerWithUsage()
    {
        var chat = Client().GetChatClient("sandbox");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Say hello")], cancellationToken: Ct);

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task ChatStream_WithUsage_ParsesEveryChunk()
    {
        var chat = Client().GetChatClient("sandbox");
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Tell me a story")], new ChatCompletionOptions(), Ct))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.True(text.Length > 0);
        Assert.NotNull(usage);
        Assert.True(usage!.OutputTokenCount > 0);
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task Tools_RoundTrip()
    {
        var chat = Client().GetChatClient("sandbox");
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},"required":["city","unit"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Paris?")];

        ChatCompletion first = await chat.CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        using var args = System.Text.Json.JsonDocument.Parse(call.FunctionArguments);
        Assert.Equal(System.Text.Json.JsonValueKind.String, args.RootElement.GetProperty("city").ValueKind);
        Assert.Contains(args.RootElement.GetProperty("unit").GetString(), new[] { "c", "f" });

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, """{"temperature":21}"""));
        ChatCompletion second = await chat.CompleteChatAsync(messages, options, Ct);

        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.False(string.IsNullOrWhiteSpace(second.Content[0].Text));
    }

    [Fact]
    public async Task Embeddings_ReturnVectors()
    {
        var embeddings = Client().GetEmbeddingClient("sandbox");

        OpenAIEmbeddingCollection result = await embeddings.GenerateEmbeddingsAsync(["first", "second"], new EmbeddingGenerationOptions { Dimensions = 64 }, Ct);

        Assert.Equal(2, result.Count);
        Assert.Equal(64, result[0].ToFloats().Length);
        Assert.NotEqual(result[0].ToFloats().ToArray(), result[1].ToFloats().ToArray());
    }

    [Fact]
    public async Task UnknownModel_SurfacesAs404()
    {
        var chat = Client().GetChatClient("no-such-model");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));

        Assert.Equal(404, ex.Status);
        Assert.Contains("no-such-model", ex.Message);
    }

    [Fact]
    public async Task StreamCutMidway_SurfacesAsAnError()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.ModelGroups["cut"] = new()
        {
            Deployments = [new() { Name = "cut", Provider = "sandbox", Model = "cut", Sandbox = { CutStreamRate = 1, CutAfterChunks = 3 } }],
        });
        var chat = new OpenAIClient(new ApiKeyCredential("sk-anything"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1") }).GetChatClient("cut");
        var received = 0;

        var ex = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("hi")], new ChatCompletionOptions(), Ct))
            {
                received++;
            }
        });

        Assert.True(received > 0);
        Assert.NotNull(ex);
    }

    [Fact]
    public async Task UpstreamFailure_SurfacesWithStatus()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.ModelGroups["flaky"] = new()
        {
            Deployments = [new() { Name = "flaky", Provider = "sandbox", Model = "flaky", Sandbox = { ErrorRate = 1 } }],
        });
        var client = new OpenAIClient(new ApiKeyCredential("sk-anything"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GetChatClient("flaky").CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));

        Assert.Equal(500, ex.Status);
    }
}
