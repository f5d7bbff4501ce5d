using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Client;
using Switchyard.Tests.Tracing;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Client;

/// <summary>Switchyard.Client against a real gateway: chat, streaming, embeddings, the x-switchyard-* options, feedback and scores.</summary>
public sealed class SwitchyardClientTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync(o => o.Cache.Exact = true);

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private SwitchyardClient Client(Action<SwitchyardClientOptions>? configure = null)
    {
        var options = new SwitchyardClientOptions { Endpoint = new Uri(_gateway.BaseUrl), ApiKey = TestGateway.AdminSecret };
        configure?.Invoke(options);
        return new SwitchyardClient(options);
    }

    [Fact]
    public async Task A_prompt_named_through_the_client_is_rendered_by_the_gateway()
    {
        await _gateway.CreateAsync("/api/prompts", """{"name":"client-greeter","prompt":[{"role":"system","content":"Greet {{name}} in French."}],"model":"sandbox","labels":["production"]}""");
        var chat = Client().GetChatClient("sandbox");

        var response = await chat.GetResponseAsync("Bonjour ?", new Microsoft.Extensions.AI.ChatOptions().WithSwitchyardPrompt(SwitchyardPromptReference.AtLabel("client-greeter"), new System.Text.Json.Nodes.JsonObject { ["name"] = "Zoë" }), Ct);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        System.Text.Json.Nodes.JsonNode? call = null;
        while (call is null && DateTime.UtcNow < deadline)
        {
            var (_, traces, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/traces?prompt=client-greeter&limit=1");
            call = traces!["data"]!.AsArray().FirstOrDefault();
            await Task.Delay(call is null ? 25 : 0, Ct);
        }

        Assert.NotNull(call);
        Assert.Equal(1, call["prompt"]!["version"]!.GetValue<int>());
        var (_, trace, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/traces/" + call["trace_id"]!.GetValue<string>());
        Assert.Contains("Greet Zoë in French.", trace!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_AnswersAndCarriesTheGatewaysTraceIds()
    {
        var chat = Client().GetChatClient("sandbox");

        var response = await chat.GetResponseAsync("Say hello", cancellationToken: Ct);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(response.Usage?.OutputTokenCount > 0);
        var traceId = response.GetSwitchyardTraceId();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Matches("^[0-9a-f]{16}$", response.GetSwitchyardSpanId());
        var row = await RecordedCalls.WaitForAsync(_gateway, traceId!, Ct);
        Assert.Equal("sandbox", row["model_group"]);
    }

    [Fact]
    public async Task Streaming_EveryUpdateCarriesTheTraceId()
    {
        var chat = Client().GetChatClient("sandbox");
        var text = new StringBuilder();
        var traceIds = new HashSet<string?>();

        await foreach (var update in chat.GetStreamingResponseAsync("Tell me a story", cancellationToken: Ct))
        {
            text.Append(update.Text);
            traceIds.Add(update.GetSwitchyardTraceId());
        }

        Assert.True(text.Length > 0);
        var traceId = Assert.Single(traceIds);
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        var row = await RecordedCalls.WaitForAsync(_gateway, traceId!, Ct);
        Assert.Equal(1L, row["stream"]);
    }

    [Fact]
    public async Task Embeddings_ReturnVectorsOfTheAskedSize()
    {
        var embeddings = Client().GetEmbeddingGenerator("sandbox", dimensions: 64);

        var result = await embeddings.GenerateAsync(["first text", "second text"], cancellationToken: Ct);

        Assert.Equal(2, result.Count);
        Assert.Equal(64, result[0].Vector.Length);
        Assert.NotEqual(result[0].Vector.ToArray(), result[1].Vector.ToArray());
        Assert.Matches("^[0-9a-f]{32}$", result.GetSwitchyardTraceId());
    }

    [Fact]
    public async Task DependencyInjection_RegistersTheClientAndTheGenerators()
    {
        var services = new ServiceCollection();
        services.AddSwitchyardEmbeddingGenerator("sandbox", dimensions: 32, options =>
        {
            options.Endpoint = new Uri(_gateway.BaseUrl);
            options.ApiKey = TestGateway.AdminSecret;
        });
        services.AddLogging();
        services.AddSwitchyardChatClient("sandbox").UseLogging();
        await using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embeddings = await generator.GenerateAsync(["one"], new EmbeddingGenerationOptions().WithSwitchyard(s => s.User = "embedding-user"), Ct);
        var chat = provider.GetRequiredService<IChatClient>();
        var response = await chat.GetResponseAsync("hello", cancellationToken: Ct);

        Assert.Equal(32, embeddings[0].Vector.Length);
        var row = await RecordedCalls.WaitForAsync(_gateway, embeddings.GetSwitchyardTraceId()!, Ct);
        Assert.Equal("embedding-user", row["user_id"]);
        Assert.Matches("^[0-9a-f]{32}$", response.GetSwitchyardTraceId());
    }

    [Fact]
    public async Task DefaultsAndPerCallOptions_ArriveOnTheRecordedCall()
    {
        var chat = Client(o => o.Defaults = new SwitchyardRequestOptions
        {
            User = "default-user",
            Tags = ["app:client-tests"],
            Metadata = new JsonObject { ["env"] = "test", ["feature"] = "default" },
        }).GetChatClient("sandbox");
        var options = new ChatOptions().WithSwitchyard(s =>
        {
            s.User = "user-42";
            s.Session = "session-7";
            s.Tags = ["beta"];
            s.Metadata = new JsonObject { ["feature"] = "rag", ["attempt"] = 2 };
            s.Timeout = TimeSpan.FromSeconds(30);
        });

        var response = await chat.GetResponseAsync("Who am I?", options, Ct);

        await RecordedCalls.WaitForAsync(_gateway, response.GetSwitchyardTraceId()!, Ct);
        var trace = await TracesApiTests.GetJsonAsync(_gateway, $"/api/traces/{response.GetSwitchyardTraceId()}");
        var call = trace["spans"]![0]!;
        Assert.Equal("user-42", call["user"]!.GetValue<string>());
        Assert.Equal("session-7", call["session"]!.GetValue<string>());
        Assert.Equal(["app:client-tests", "beta"], call["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("test", call["metadata"]!["env"]!.GetValue<string>());
        Assert.Equal("rag", call["metadata"]!["feature"]!.GetValue<string>());
        Assert.Equal(2, call["metadata"]!["attempt"]!.GetValue<int>());

        var plain = await chat.GetResponseAsync("Who am I now?", cancellationToken: Ct);
        await RecordedCalls.WaitForAsync(_gateway, plain.GetSwitchyardTraceId()!, Ct);
        var defaults = (await TracesApiTests.GetJsonAsync(_gateway, $"/api/traces/{plain.GetSwitchyardTraceId()}"))["spans"]![0]!;
        Assert.Equal("default-user", defaults["user"]!.GetValue<string>());
        Assert.Null(defaults["session"]);
    }

    [Fact]
    public async Task CacheMode_ReachesTheGatewayCache()
    {
        var chat = Client().GetChatClient("sandbox");
        List<ChatMessage> question = [new(ChatRole.User, "What is the capital of France?")];
        ChatOptions Options(SwitchyardCacheMode? mode) => new ChatOptions { Temperature = 0 }.WithSwitchyard(s => s.Cache = mode);

        var notStored = await chat.GetResponseAsync(question, Options(SwitchyardCacheMode.NoStore), Ct);
        var first = await chat.GetResponseAsync(question, Options(null), Ct);
        var second = await chat.GetResponseAsync(question, Options(null), Ct);
        var skipped = await chat.GetResponseAsync(question, Options(SwitchyardCacheMode.NoCache), Ct);

        Assert.Equal("miss", notStored.AdditionalProperties![SwitchyardProperties.Cache]);
        Assert.Equal("miss", first.AdditionalProperties![SwitchyardProperties.Cache]);
        Assert.Equal("hit", second.AdditionalProperties![SwitchyardProperties.Cache]);
        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual("hit", skipped.AdditionalProperties![SwitchyardProperties.Cache]);
    }

    [Fact]
    public async Task Fallbacks_AreSentAndTheGatewaysRefusalSurfaces()
    {
        var chat = Client().GetChatClient("sandbox");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => chat.GetResponseAsync("hi", new ChatOptions().WithSwitchyard(s => s.Fallbacks = ["no-such-group"]), Ct));

        Assert.Equal(400, ex.Status);
        Assert.Contains("x-switchyard-fallbacks", ex.Message);
        var off = await chat.GetResponseAsync("hi", new ChatOptions().WithSwitchyard(s => s.DisableFallbacks = true), Ct);
        Assert.False(string.IsNullOrEmpty(off.Text));
    }

    [Fact]
    public async Task FeedbackAndScores_RoundTrip()
    {
        var client = Client();
        var response = await client.GetChatClient("sandbox").GetResponseAsync("Rate me", cancellationToken: Ct);
        var traceId = response.GetSwitchyardTraceId()!;
        await RecordedCalls.WaitForAsync(_gateway, traceId, Ct);

        var feedbackId = await client.SendFeedbackAsync(traceId, thumbsUp: false, comment: "too short", user: "user-42", cancellationToken: Ct);
        var scoreId = await client.SendScoreAsync(traceId, "accuracy", 0.75, comment: "judged", cancellationToken: Ct);
        await client.SendScoreAsync(traceId, "on_topic", true, cancellationToken: Ct);
        await client.SendScoreAsync(traceId, "tone", "friendly", spanId: response.GetSwitchyardSpanId(), cancellationToken: Ct);

        Assert.True(feedbackId > 0);
        Assert.True(scoreId > feedbackId);
        var scores = (await TracesApiTests.GetJsonAsync(_gateway, $"/api/traces/{traceId}"))["scores"]!.AsArray();
        var feedback = scores.Single(s => s!["name"]!.GetValue<string>() == "feedback")!;
        Assert.Equal(-1, feedback["value"]!.GetValue<double>());
        Assert.Equal("too short", feedback["comment"]!.GetValue<string>());
        Assert.Equal("feedback", feedback["source"]!.GetValue<string>());
        var accuracy = scores.Single(s => s!["name"]!.GetValue<string>() == "accuracy")!;
        Assert.Equal(0.75, accuracy["value"]!.GetValue<double>());
        Assert.Equal("sdk", accuracy["source"]!.GetValue<string>());
        Assert.True(scores.Single(s => s!["name"]!.GetValue<string>() == "on_topic")!["value"]!.GetValue<bool>());
        Assert.Equal("friendly", scores.Single(s => s!["name"]!.GetValue<string>() == "tone")!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Feedback_WithoutAKey_IsRefusedWithTheGatewaysStatus()
    {
        var anonymous = Client(o => o.ApiKey = null);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.SendFeedbackAsync("0af7651916cd43dd8448eb211c80319c", thumbsUp: true, cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Contains("/api/feedback: 401", ex.Message);
    }

    [Fact]
    public async Task WithoutAKey_AnAnonymousGatewayServesInference()
    {
        var chat = Client(o => o.ApiKey = null).GetChatClient("sandbox");

        var response = await chat.GetResponseAsync("hello", cancellationToken: Ct);

        Assert.False(string.IsNullOrEmpty(response.Text));
    }

    public static TheoryData<string, Action<SwitchyardRequestOptions>> InvalidOptions => new()
    {
        { "comma", s => s.Tags = ["a,b"] },
        { "at most 32", s => s.Tags = [.. Enumerable.Range(0, 33).Select(i => $"t{i}")] },
        { "printable ASCII", s => s.User = "Zoë" },
        { "1 to 256", s => s.Session = new string('s', 257) },
        { "1 to 256", s => s.User = "" },
        { "Timeout", s => s.Timeout = TimeSpan.Zero },
        { "Timeout", s => s.Timeout = TimeSpan.FromDays(2) },
        { "CacheTtl", s => s.CacheTtl = TimeSpan.FromDays(31) },
        { "not one of", s => s.Cache = (SwitchyardCacheMode)7 },
        { "not both", s => { s.Fallbacks = ["gpt"]; s.DisableFallbacks = true; } },
        { "1 to 10", s => s.Fallbacks = [] },
        { "not blank", s => s.Fallbacks = [" "] },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptions_FailBeforeAnyRequest(string message, Action<SwitchyardRequestOptions> configure)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new ChatOptions().WithSwitchyard(configure));
        Assert.Contains(message, ex.Message);

        var defaults = new SwitchyardRequestOptions();
        configure(defaults);
        Assert.ThrowsAny<ArgumentException>(() => new SwitchyardClient(new SwitchyardClientOptions { Endpoint = new Uri(_gateway.BaseUrl), Defaults = defaults }));
    }

    [Fact]
    public async Task InvalidIdsAndEndpoints_FailOnTheClient()
    {
        var client = Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendFeedbackAsync("not-a-trace", thumbsUp: true, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendFeedbackAsync(new string('a', 32), double.NaN, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendScoreAsync(new string('a', 32), "", 1.0, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendScoreAsync(new string('a', 32), "x", 1.0, spanId: "short", cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => new SwitchyardClient(new SwitchyardClientOptions { Endpoint = new Uri("ftp://example.com") }));
    }

    [Theory]
    [InlineData("http://gw.example:4000", "http://gw.example:4000/")]
    [InlineData("http://gw.example:4000/v1", "http://gw.example:4000/")]
    [InlineData("https://example.com/llm/v1/", "https://example.com/llm/")]
    public void Endpoint_IsTheGatewaysBase(string given, string expected) =>
        Assert.Equal(expected, new SwitchyardClient(new SwitchyardClientOptions { Endpoint = new Uri(given) }).Endpoint.ToString());
}
