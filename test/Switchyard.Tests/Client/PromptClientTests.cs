using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Switchyard.Client;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Client;

/// <summary>
/// <see cref="SwitchyardClient.GetPromptAsync"/> against a real gateway (typed prompt, ETag revalidation, the
/// cached copy when the gateway is down), and the prompt headers a call sends.
/// </summary>
public sealed class PromptClientTests
{
    private const string Support = """
        {"name":"support","type":"chat","model":"sandbox","parameters":{"temperature":0.3},
         "prompt":[{"role":"system","content":"You help with {{product}}."},{"role":"user","content":"{{question}}"}],
         "variables":[{"name":"product","default":"Switchyard"},{"name":"question"}],"labels":["production"]}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetPrompt_ReadsTheProductionLabelByDefault_OrAVersion_WithAReadKey()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        await gateway.CreateAsync("/api/prompts", Support);
        await gateway.CreateAsync("/api/prompts", """{"name":"support","prompt":"text now {{x}}"}""");
        var (_, reader) = await gateway.CreateKeyAsync("""{"name":"reader","scopes":["read"]}""");
        var client = Client(gateway, reader, new RecordingHandler());

        var production = await client.GetPromptAsync("support", cancellationToken: Ct);
        var latest = await client.GetPromptAsync("support", label: "latest", cancellationToken: Ct);
        var first = await client.GetPromptAsync("support", version: 1, cancellationToken: Ct);

        Assert.Equal(1, production.Version);
        Assert.Equal(SwitchyardPromptType.Chat, production.Type);
        Assert.Null(production.Template);
        Assert.Equal(["system", "user"], production.Messages.Select(m => m.Role));
        Assert.Equal("You help with {{product}}.", production.Messages[0].Content);
        Assert.Equal("Switchyard", production.Variables[0].Default!.GetValue<string>());
        Assert.Null(production.Variables[1].Default);
        Assert.Equal("sandbox", production.Model);
        Assert.Equal(0.3, production.Parameters!["temperature"]!.GetValue<double>());
        Assert.Equal(["production"], production.Labels);
        Assert.False(production.IsStale);
        Assert.Equal("support@1", production.Reference.ToString());
        Assert.Equal(2, latest.Version);
        Assert.Equal(SwitchyardPromptType.Text, latest.Type);
        Assert.Equal("text now {{x}}", latest.Template);
        Assert.Contains("latest", latest.Labels);
        Assert.Equal(production.Messages[1].Json.ToJsonString(), first.Messages[1].Json.ToJsonString());
    }

    [Fact]
    public async Task GetPrompt_RevalidatesWithTheETag_AndSeesALabelMove()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.CreateAsync("/api/prompts", Support);
        var handler = new RecordingHandler();
        var client = Client(gateway, TestGateway.AdminSecret, handler);

        var fetched = await client.GetPromptAsync("support", cancellationToken: Ct);
        var revalidated = await client.GetPromptAsync("support", cancellationToken: Ct);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NotModified], handler.Statuses);
        Assert.Equal(fetched.Version, revalidated.Version);
        Assert.Equal(fetched.Messages[0].Content, revalidated.Messages[0].Content);
        Assert.NotNull(handler.IfNoneMatch[1]);

        await gateway.CreateAsync("/api/prompts", """{"name":"support","prompt":"v2","labels":["production"]}""");
        var moved = await client.GetPromptAsync("support", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, handler.Statuses[^1]);
        Assert.Equal(2, moved.Version);
        Assert.Equal("v2", moved.Template);
    }

    [Fact]
    public async Task GetPrompt_ReturnsTheCachedCopy_WhenTheGatewayIsDown()
    {
        var gateway = await TestGateway.StartAsync();
        await gateway.CreateAsync("/api/prompts", Support);
        await gateway.CreateAsync("/api/prompts", """{"name":"other","prompt":"x"}""");
        var client = Client(gateway, TestGateway.AdminSecret, new RecordingHandler());
        var fetched = await client.GetPromptAsync("support", cancellationToken: Ct);

        await gateway.DisposeAsync();
        var cached = await client.GetPromptAsync("support", cancellationToken: Ct);

        Assert.True(cached.IsStale);
        Assert.Equal(fetched.Version, cached.Version);
        Assert.Equal(fetched.Messages[1].Content, cached.Messages[1].Content);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetPromptAsync("other", label: "latest", cancellationToken: Ct));
    }

    [Fact]
    public async Task GetPrompt_Refusals_Throw()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        await gateway.CreateAsync("/api/prompts", Support);
        var (_, app) = await gateway.CreateKeyAsync("""{"name":"app","scopes":["inference"]}""");

        var missing = await Assert.ThrowsAsync<HttpRequestException>(() => Client(gateway, TestGateway.AdminSecret, new RecordingHandler()).GetPromptAsync("support", "staging", cancellationToken: Ct));
        var forbidden = await Assert.ThrowsAsync<HttpRequestException>(() => Client(gateway, app, new RecordingHandler()).GetPromptAsync("support", cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no label 'staging'", missing.Message);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await Assert.ThrowsAsync<ArgumentException>(() => Client(gateway, app, new RecordingHandler()).GetPromptAsync("support", "production", 1, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Client(gateway, app, new RecordingHandler()).GetPromptAsync("../keys", cancellationToken: Ct));
    }

    [Fact]
    public async Task PromptReference_IsSentAsHeaders_WithTheVariablesAsAsciiJson()
    {
        var handler = new RecordingHandler(answerChat: true);
        var client = new SwitchyardClient(new SwitchyardClientOptions
        {
            Endpoint = new Uri("http://switchyard.test"),
            ApiKey = "sy-test",
            HttpClient = new HttpClient(handler),
            Defaults = new SwitchyardRequestOptions { Prompt = SwitchyardPromptReference.AtVersion("greet", 3), PromptVariables = new JsonObject { ["name"] = "default" } },
        });
        var chat = client.GetChatClient("sandbox");

        var response = await chat.GetResponseAsync("Where is my key?", new ChatOptions().WithSwitchyardPrompt(SwitchyardPromptReference.AtLabel("support", "staging"), new JsonObject { ["question"] = "Où est ma clé ?" }), Ct);
        await chat.GetResponseAsync("hi", cancellationToken: Ct);
        await chat.GetResponseAsync("hi", new ChatOptions().WithSwitchyardPrompt(SwitchyardPromptReference.AtLabel("support")), Ct);

        Assert.Equal("support@staging", handler.Header(0, "x-switchyard-prompt"));
        Assert.Equal("""{"question":"O\u00F9 est ma cl\u00E9 ?"}""", handler.Header(0, "x-switchyard-prompt-variables"));
        Assert.Equal("ok", response.Text);
        Assert.Equal("greet@3", handler.Header(1, "x-switchyard-prompt"));
        Assert.Equal("""{"name":"default"}""", handler.Header(1, "x-switchyard-prompt-variables"));
        Assert.Equal("support@production", handler.Header(2, "x-switchyard-prompt"));
        Assert.Null(handler.Header(2, "x-switchyard-prompt-variables"));
        Assert.Throws<ArgumentException>(() => SwitchyardPromptReference.AtLabel("support", "7"));
        Assert.Throws<ArgumentException>(() => SwitchyardPromptReference.AtLabel("support", "prod uction"));
        Assert.Throws<ArgumentOutOfRangeException>(() => SwitchyardPromptReference.AtVersion("support", 0));
    }

    private static SwitchyardClient Client(TestGateway gateway, string key, RecordingHandler handler) =>
        new(new SwitchyardClientOptions { Endpoint = new Uri(gateway.BaseUrl), ApiKey = key, HttpClient = new HttpClient(handler), NetworkTimeout = TimeSpan.FromSeconds(10) });

    /// <summary>Passes requests on (or answers a chat completion itself) and keeps what was sent and answered.</summary>
    private sealed class RecordingHandler(bool answerChat = false) : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly List<Dictionary<string, string>> _requests = [];

        public List<HttpStatusCode> Statuses { get; } = [];

        public List<string?> IfNoneMatch { get; } = [];

        public string? Header(int request, string name) => _requests[request].GetValueOrDefault(name);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _requests.Add(request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value)));
            IfNoneMatch.Add(request.Headers.IfNoneMatch.Count > 0 ? request.Headers.IfNoneMatch.ToString() : null);
            if (answerChat)
            {
                return new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("""{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""", Encoding.UTF8, "application/json"),
                };
            }

            var response = await base.SendAsync(request, cancellationToken);
            Statuses.Add(response.StatusCode);
            return response;
        }
    }
}
