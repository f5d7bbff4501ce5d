using System.ClientModel;
using System.Net;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Guardrails.GuardrailHarness;

namespace Switchyard.Tests.Guardrails;

/// <summary>Every action end to end: through a real gateway, its store and, for errors, the official OpenAI SDK.</summary>
public sealed class GuardrailGatewayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Content(Dictionary<string, object?> row, string column) => row[column] switch
    {
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => "",
    };

    private static void Injection(GuardrailOptions g, GuardAction action) =>
        (g.Guards["injection"], g.Input) = (new GuardOptions { Type = GuardType.Injection, Action = action }, ["injection"]);

    private static void Pii(GuardrailOptions g, GuardAction action, bool output = false, GuardStreaming streaming = GuardStreaming.Window)
    {
        g.Guards["pii"] = new GuardOptions { Type = GuardType.Pii, Action = action, Entities = ["EMAIL_ADDRESS"], Streaming = streaming };
        if (output)
        {
            g.Output = ["pii"];
        }
        else
        {
            g.Input = ["pii"];
        }
    }

    [Fact]
    public async Task Block_RaisesTheSdksBadRequestWithTheGuardsCode_AndCostsNothingUpstream()
    {
        var (gateway, upstream) = await StartAsync(g => Injection(g, GuardAction.Block));
        await using var _ = gateway;
        await using var __ = upstream;
        var chat = new OpenAIClient(new ApiKeyCredential("sk-any"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1") }).GetChatClient("m");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage(Attack)], cancellationToken: Ct));

        Assert.Equal(400, error.Status);
        var body = JsonNode.Parse(error.GetRawResponse()!.Content.ToString())!["error"]!;
        Assert.Equal("guardrail_blocked", body["code"]!.GetValue<string>());
        Assert.Contains("'injection'", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(upstream.Received);

        ChatCompletion fine = await chat.CompleteChatAsync([new UserChatMessage("What is the capital of France?")], cancellationToken: Ct);
        Assert.Equal("What is the capital of France?", fine.Content[0].Text);
    }

    [Fact]
    public async Task Block_OnTheMessagesApi_IsAnAnthropicInvalidRequestError()
    {
        var (gateway, upstream) = await StartAsync(g => Injection(g, GuardAction.Block));
        await using var _ = gateway;
        await using var __ = upstream;

        var response = await gateway.Client.PostAsync("/v1/messages", new StringContent($$"""{"model":"m","max_tokens":50,"messages":[{"role":"user","content":"{{Attack}}"}]}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await BodyAsync(response))!;
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("injection", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mask", "Write to [EMAIL_ADDRESS] today")]
    [InlineData("redact", "Write to  today")]
    public async Task Rewrite_TheUpstreamAndTheTraceSeeTheRewrittenPrompt(string actionName, string expected)
    {
        var action = Enum.Parse<GuardAction>(actionName, ignoreCase: true);
        var (gateway, upstream) = await StartAsync(g => Pii(g, action));
        await using var _ = gateway;
        await using var __ = upstream;

        var response = await ChatAsync(gateway, $"Write to {Email} today");

        response.EnsureSuccessStatusCode();
        Assert.Equal(expected, upstream.Last.Json["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal($"pii:fired({action.ToString().ToLowerInvariant()})", response.Headers.GetValues("x-switchyard-guardrails").Single());
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Contains(expected, Content(row, "request_content"), StringComparison.Ordinal);
        Assert.DoesNotContain(Email, Content(row, "request_content"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hash_IsStableForTheSameValue_AndHidesIt()
    {
        var (gateway, upstream) = await StartAsync(g => Pii(g, GuardAction.Hash));
        await using var _ = gateway;
        await using var __ = upstream;

        await ChatAsync(gateway, $"a {Email}");
        var first = upstream.Last.Json["messages"]![0]!["content"]!.GetValue<string>();
        await ChatAsync(gateway, $"a {Email}");
        var second = upstream.Last.Json["messages"]![0]!["content"]!.GetValue<string>();

        Assert.Equal(first, second);
        Assert.StartsWith("a [EMAIL_ADDRESS:", first, StringComparison.Ordinal);
        Assert.DoesNotContain("jane", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pseudonymise_UpstreamSeesAPlaceholder_ClientGetsTheOriginal_StoreNeither()
    {
        var (gateway, upstream) = await StartAsync(g => Pii(g, GuardAction.Pseudonymise));
        await using var _ = gateway;
        await using var __ = upstream;

        var response = await ChatAsync(gateway, $"Reply to {Email} and cc {Email}.");
        var answer = JsonNode.Parse(await BodyAsync(response))!["choices"]![0]!["message"]!["content"]!.GetValue<string>();

        Assert.Equal("Reply to <EMAIL_ADDRESS_1> and cc <EMAIL_ADDRESS_1>.", upstream.Last.Json["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal($"Reply to {Email} and cc {Email}.", answer);
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Contains("<EMAIL_ADDRESS_1>", Content(row, "request_content"), StringComparison.Ordinal);
        Assert.DoesNotContain(Email, Content(row, "request_content"), StringComparison.Ordinal);
        var recorded = JsonNode.Parse(Content(row, "response_content"))!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        Assert.Equal("Reply to <EMAIL_ADDRESS_1> and cc <EMAIL_ADDRESS_1>.", recorded);
    }

    [Fact]
    public async Task Pseudonymise_InAStream_RestoresAPlaceholderSplitAtEveryOffset()
    {
        var (gateway, upstream) = await StartAsync(g => Pii(g, GuardAction.Pseudonymise));
        await using var _ = gateway;
        await using var __ = upstream;
        var prompt = $"Mail {Email} now";
        const string Seen = "Mail <EMAIL_ADDRESS_1> now";

        for (var cut = 1; cut < Seen.Length; cut++)
        {
            upstream.Handler = Echo(cut, Math.Min(cut + 3, Seen.Length - 1));
            var response = await ChatAsync(gateway, prompt, stream: true);
            var (text, error) = ReadStream(await BodyAsync(response));

            Assert.Null(error);
            Assert.Equal(prompt, text);
        }
    }

    [Fact]
    public async Task OutputWindow_NeverSendsABlockedSpan_AtAnySplit()
    {
        var (gateway, upstream) = await StartAsync(g => Pii(g, GuardAction.Block, output: true));
        await using var _ = gateway;
        await using var __ = upstream;
        var prompt = $"First sentence is fine. Then write to {Email} please.";

        for (var cut = 1; cut < prompt.Length; cut += 3)
        {
            upstream.Handler = Echo(cut, Math.Min(cut + 7, prompt.Length - 1));
            var response = await ChatAsync(gateway, prompt, stream: true);
            var raw = await BodyAsync(response);
            var (text, error) = ReadStream(raw);

            Assert.Equal("guardrail_blocked", error);
            Assert.DoesNotContain("jane", raw, StringComparison.Ordinal);
            Assert.StartsWith("First sentence is fine.", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OutputMask_OnAPlainAnswer_AndOnACachedReplay()
    {
        var (gateway, upstream) = await StartAsync(g => Pii(g, GuardAction.Mask, output: true), o => o.Cache.Exact = true);
        await using var _ = gateway;
        await using var __ = upstream;

        var first = await ChatAsync(gateway, $"say {Email}");
        var second = await ChatAsync(gateway, $"say {Email}");

        Assert.Equal("miss", first.Headers.GetValues("x-switchyard-cache").Single());
        Assert.Equal("hit", second.Headers.GetValues("x-switchyard-cache").Single());
        foreach (var response in new[] { first, second })
        {
            var answer = JsonNode.Parse(await BodyAsync(response))!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
            Assert.Equal("say [EMAIL_ADDRESS]", answer);
        }
    }

    [Fact]
    public async Task OutputBlock_OnAPlainAnswer_IsTheGuardsError()
    {
        var (gateway, upstream) = await StartAsync(g => Pii(g, GuardAction.Block, output: true));
        await using var _ = gateway;
        await using var __ = upstream;

        var response = await ChatAsync(gateway, $"say {Email}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Contains("guardrail_blocked", body, StringComparison.Ordinal);
        Assert.DoesNotContain("jane", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flag_RecordsTheVerdictOnTheTrace_AndWarnSaysSoInTheHeader()
    {
        var (gateway, upstream) = await StartAsync(g =>
        {
            Pii(g, GuardAction.Warn);
            g.Guards["injection"] = new GuardOptions { Type = GuardType.Injection, Action = GuardAction.Flag };
            g.Input = ["injection", "pii"];
        });
        await using var _ = gateway;
        await using var __ = upstream;

        var response = await ChatAsync(gateway, $"{Attack} Mail {Email}.");

        response.EnsureSuccessStatusCode();
        var header = response.Headers.GetValues("x-switchyard-guardrails").Single();
        Assert.Contains("pii:fired(warn)", header, StringComparison.Ordinal);
        Assert.Matches("injection:(fired\\(flag\\)|deferred)", header);
        var traceId = response.Headers.GetValues("x-switchyard-trace-id").Single();
        await RecordedCalls.WaitForAsync(gateway, traceId, Ct);
        var (_, trace, _) = await gateway.SendAsync(HttpMethod.Get, $"/api/traces/{traceId}");
        var verdicts = trace!["spans"]![0]!["guardrails"]!.AsArray();
        var injection = verdicts.Single(v => v!["guard"]!.GetValue<string>() == "injection")!;
        Assert.Equal("fired", injection["verdict"]!.GetValue<string>());
        var pii = verdicts.Single(v => v!["guard"]!.GetValue<string>() == "pii")!;
        Assert.Equal("EMAIL_ADDRESS", pii["findings"]![0]!["type"]!.GetValue<string>());
        Assert.DoesNotContain(Email, verdicts.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptOut_NeedsTheScope_AndTurnsTheNamedGuardOff()
    {
        var (gateway, upstream) = await StartAsync(g => Pii(g, GuardAction.Block), anonymous: false);
        await using var _ = gateway;
        await using var __ = upstream;
        var (_, plain) = await gateway.CreateKeyAsync("""{"name":"plain"}""");
        var (_, trusted) = await gateway.CreateKeyAsync("""{"name":"trusted","scopes":["inference","guardrails_off"]}""");

        var refused = await ChatAsync(gateway, $"hi {Email}", key: plain, header: "off=pii");
        var allowed = await ChatAsync(gateway, $"hi {Email}", key: trusted, header: "off=pii");
        var unknown = await ChatAsync(gateway, $"hi {Email}", key: trusted, header: "off=nope");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        allowed.EnsureSuccessStatusCode();
        Assert.Equal("pii:off", allowed.Headers.GetValues("x-switchyard-guardrails").Single());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task Validation_RefusesParametersOutOfRange_AndDeniedText()
    {
        var (gateway, upstream) = await StartAsync(g =>
        {
            g.Guards["limits"] = new GuardOptions { Type = GuardType.Validation, Action = GuardAction.Block, MaxTokens = 100, MaxTemperature = 1, Deny = ["(?i)password"] };
            g.Input = ["limits"];
        });
        await using var _ = gateway;
        await using var __ = upstream;

        async Task<HttpStatusCode> Send(string body) => (await gateway.Client.PostAsync("/v1/chat/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct)).StatusCode;

        Assert.Equal(HttpStatusCode.OK, await Send("""{"model":"m","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Send("""{"model":"m","max_tokens":500,"messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Send("""{"model":"m","temperature":1.5,"messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Send("""{"model":"m","messages":[{"role":"user","content":"my PassWord is x"}]}"""));
    }
}
