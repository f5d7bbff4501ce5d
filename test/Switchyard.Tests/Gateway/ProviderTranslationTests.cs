using Xunit;
using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using static Switchyard.Tests.Gateway.OpenAIPassthroughTests;

namespace Switchyard.Tests.Gateway;

/// <summary>Azure URLs and headers; OpenAI clients on Anthropic deployments and Anthropic clients on OpenAI-format ones.</summary>
public sealed class ProviderTranslationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Azure_UsesDeploymentUrlApiVersionAndApiKeyHeader()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "azure", upstream, d =>
        {
            d.Model = "my-gpt4o-deployment";
            d.ApiVersion = "2024-10-21";
        }));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","messages":[]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/openai/deployments/my-gpt4o-deployment/chat/completions?api-version=2024-10-21", upstream.Last.PathAndQuery);
        Assert.Equal("sk-upstream-secret", upstream.Last.Headers["api-key"]);
        Assert.False(upstream.Last.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Azure_V1Api_UsesOpenAIStylePath()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, """{"object":"list","data":[],"model":"e","usage":{"prompt_tokens":1,"total_tokens":1}}""");
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("emb", "azure", upstream, d => d.ApiVersion = "v1"));

        using var response = await gateway.Client.PostAsync("/v1/embeddings", Json("""{"model":"emb","input":"x"}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/openai/v1/embeddings", upstream.Last.PathAndQuery);
        Assert.Equal("upstream-emb", upstream.Last.Json["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChatCompletions_OnAnthropic_TranslatesBothWays()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.AnthropicMessage);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("claude", "anthropic", upstream));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"claude","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}],"stop":["END"]}"""), Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/v1/messages", upstream.Last.PathAndQuery);
        Assert.Equal("sk-upstream-secret", upstream.Last.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", upstream.Last.Headers["anthropic-version"]);
        var sent = upstream.Last.Json;
        Assert.Equal("upstream-claude", sent["model"]!.GetValue<string>());
        Assert.Contains("Be brief.", sent["system"]!.ToJsonString());
        Assert.DoesNotContain(sent["messages"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "system");
        Assert.Equal("END", sent["stop_sequences"]![0]!.GetValue<string>());
        Assert.True(sent["max_tokens"]!.GetValue<int>() > 0);

        Assert.Equal("chat.completion", body["object"]!.GetValue<string>());
        Assert.Equal("Hi from Claude", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", body["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(13, body["usage"]!["prompt_tokens"]!.GetValue<int>());
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal(13L, row["input_tokens"]);
        Assert.Equal(3L, row["cached_tokens"]);
        Assert.Equal(5L, row["output_tokens"]);
    }

    [Fact]
    public async Task ChatStream_OnAnthropic_BecomesOpenAIChunks()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.AnthropicStream(http, UpstreamReplies.AnthropicEvents);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("claude", "anthropic", upstream));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"claude","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"""), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonNode.Parse(e)!).ToList();
        var text = string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>()));
        Assert.Equal("Hi there", text);
        Assert.Contains(chunks, c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["finish_reason"]?.GetValue<string>() == "stop");
        Assert.Equal(7, chunks[^1]["usage"]!["completion_tokens"]!.GetValue<int>());
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal(10L, row["input_tokens"]);
        Assert.Equal(7L, row["output_tokens"]);
        Assert.NotNull(row["ttft_us"]);
    }

    [Fact]
    public async Task AnthropicError_BecomesOpenAIError()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, """{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: too big"}}""", 400);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("claude", "anthropic", upstream));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"claude","messages":[{"role":"user","content":"hi"}]}"""), Ct);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("max_tokens: too big", error["message"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_OnAnthropic_PassesThroughWithBetaHeader()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.AnthropicStream(http, UpstreamReplies.AnthropicEvents);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("claude", "anthropic", upstream));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json("""{"model":"claude","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}""") };
        request.Headers.Add("anthropic-beta", "prompt-caching-2024-07-31");

        using var response = await gateway.Client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(string.Concat(UpstreamReplies.AnthropicEvents.Select(e => $"event: {e.Event}\ndata: {e.Data}\n\n")), body);
        Assert.Equal("prompt-caching-2024-07-31", upstream.Last.Headers["anthropic-beta"]);
        Assert.Equal("upstream-claude", upstream.Last.Json["model"]!.GetValue<string>());
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal(10L, row["input_tokens"]);
        Assert.Equal(7L, row["output_tokens"]);
        Assert.Equal("end_turn", row["finish_reason"]);
    }

    [Fact]
    public async Task Messages_OnOpenAI_TranslatesPlainAndStream()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, received) => received.Json["stream"]?.GetValue<bool>() == true
            ? UpstreamReplies.OpenAIStream(http, UpstreamReplies.ChatChunks)
            : UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt", "openai", upstream));

        using var plain = await gateway.Client.PostAsync("/v1/messages", Json("""{"model":"gpt","max_tokens":50,"system":"Be nice.","messages":[{"role":"user","content":"hi"}]}"""), Ct);
        var message = JsonNode.Parse(await plain.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Equal("Hello from upstream", message["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", message["stop_reason"]!.GetValue<string>());
        Assert.Equal("system", upstream.Last.Json["messages"]![0]!["role"]!.GetValue<string>());

        using var stream = await gateway.Client.PostAsync("/v1/messages", Json("""{"model":"gpt","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"hi"}]}"""), Ct);
        var events = (await stream.Content.ReadAsStringAsync(Ct)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('\n')[0]["event: ".Length..]).ToList();
        Assert.Equal("message_start", events[0]);
        Assert.Equal("message_stop", events[^1]);
        Assert.Contains("content_block_delta", events);
        Assert.Contains("message_delta", events);
    }

    [Fact]
    public async Task CountTokens_OnOpenAIDeployment_CountsLocally()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.PostAsync("/v1/messages/count_tokens", Json("""{"model":"sandbox","messages":[{"role":"user","content":"Hello, world"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["input_tokens"]!.GetValue<int>() > 3);
    }

    [Fact]
    public async Task Embeddings_OnAnthropic_Returns400()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("claude", "anthropic", upstream));

        using var response = await gateway.Client.PostAsync("/v1/embeddings", Json("""{"model":"claude","input":"x"}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(upstream.Received);
    }
}
