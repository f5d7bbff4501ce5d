using Xunit;
using Microsoft.AspNetCore.Http;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Gateway;

public sealed class OpenAIPassthroughTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChatCompletion_Plain_RelaysBodyAndRecordsUsage()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));

        var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"""), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonNode.Parse(UpstreamReplies.ChatCompletion)!.ToJsonString(), JsonNode.Parse(body)!.ToJsonString());
        Assert.Equal("gpt-4o-openai", response.Headers.GetValues("x-switchyard-deployment").Single());
        Assert.Equal("1", response.Headers.GetValues("x-switchyard-attempts").Single());
        var traceId = response.Headers.GetValues("x-switchyard-trace-id").Single();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Matches("^[0-9a-f]{16}$", response.Headers.GetValues("x-switchyard-span-id").Single());

        Assert.Equal("/v1/chat/completions", upstream.Last.PathAndQuery);
        Assert.Equal("Bearer sk-upstream-secret", upstream.Last.Headers["Authorization"]);
        Assert.StartsWith("00-" + traceId + "-", upstream.Last.Headers["traceparent"]);

        var row = await RecordedCalls.WaitForAsync(gateway, traceId, Ct);
        Assert.Equal(12L, row["input_tokens"]);
        Assert.Equal(4L, row["output_tokens"]);
        Assert.Equal(2L, row["cached_tokens"]);
        Assert.Equal(1L, row["reasoning_tokens"]);
        Assert.Equal(1L, row["usage_reported"]);
        Assert.Equal("gpt-4o", row["model_group"]);
        Assert.Equal("openai", row["provider"]);
        Assert.Equal("gpt-4o-2024-08-06", row["upstream_model"]);
        Assert.Equal("fp_up", row["system_fingerprint"]);
        Assert.Equal(200L, row["status"]);
        Assert.Equal(0L, row["stream"]);
        Assert.Equal("stop", row["finish_reason"]);
    }

    [Fact]
    public async Task ChatCompletion_EveryFieldReachesUpstreamAsSent_ExceptModel()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));
        const string request = """
            {"model":"gpt-4o","messages":[{"role":"user","content":"weather in Paris? \u00e9\ud83d\ude00"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
             "tool_choice":"auto","response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"},"strict":true}},
             "logprobs":true,"top_logprobs":2,"n":2,"seed":7,"parallel_tool_calls":false,"reasoning_effort":"low","temperature":0.2,"x_custom":{"a":[1,2.50,null]}}
            """;

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json(request), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = request.Replace("\"model\":\"gpt-4o\"", "\"model\":\"upstream-gpt-4o\"", StringComparison.Ordinal);
        Assert.Equal(expected, upstream.Last.Body); // byte for byte: nothing re-serialised
    }

    [Fact]
    public async Task ChatStream_ClientDidNotAskForUsage_GatewayAsksAndDropsTheUsageChunk()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.OpenAIStream(http, UpstreamReplies.ChatChunks);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"""), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("1", response.Headers.GetValues("x-switchyard-attempts").Single());
        Assert.Equal("gpt-4o-openai", response.Headers.GetValues("x-switchyard-deployment").Single());
        Assert.True(upstream.Last.Json["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(UpstreamReplies.Sse(UpstreamReplies.ChatChunks.Take(4)), body);
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal(9L, row["input_tokens"]);
        Assert.Equal(2L, row["output_tokens"]);
        Assert.Equal(1L, row["stream"]);
        Assert.NotNull(row["ttft_us"]);
        Assert.Equal("stop", row["finish_reason"]);
    }

    [Fact]
    public async Task ChatStream_ClientAskedForUsage_UsageChunkIsRelayed()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.OpenAIStream(http, UpstreamReplies.ChatChunks);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"""), Ct);

        Assert.Equal(UpstreamReplies.Sse(UpstreamReplies.ChatChunks), await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task ChatStream_DeploymentTurnsStreamUsageOff_BodyUntouchedAndTokensCounted()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.OpenAIStream(http, UpstreamReplies.ChatChunks.Take(4));
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream, d => d.StreamUsage = false));
        const string request = """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hello there"}]}""";

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json(request), Ct);
        await response.Content.ReadAsStringAsync(Ct);

        Assert.Null(upstream.Last.Json["stream_options"]);
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal(0L, row["usage_reported"]);
        Assert.True((long)row["input_tokens"]! > 0);
    }

    [Fact]
    public async Task ChatStream_StreamOptionsWithoutUsage_KeepsOtherOptions()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.OpenAIStream(http, UpstreamReplies.ChatChunks);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","stream":true,"stream_options":{"include_obfuscation":false},"messages":[]}"""), Ct);
        await response.Content.ReadAsStringAsync(Ct);

        var options = upstream.Last.Json["stream_options"]!;
        Assert.True(options["include_usage"]!.GetValue<bool>());
        Assert.False(options["include_obfuscation"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "invalid_request_error")]
    [InlineData(429, "rate_limit_exceeded")]
    [InlineData(503, "server_error")]
    public async Task UpstreamError_PassedOnWithStatusAndBody(int status, string type)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var error = $$$"""{"error":{"message":"upstream says no","type":"{{{type}}}","param":null,"code":"x"}}""";
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, error, status);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","messages":[]}"""), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(error, await response.Content.ReadAsStringAsync(Ct));
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal((long)status, row["status"]);
        Assert.Equal("upstream says no", ((string)row["error_message"]!).Split(": ", 2)[1]);
    }

    [Fact]
    public async Task UpstreamError_NonJsonBody_WrappedInOpenAIError()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) =>
        {
            http.Response.StatusCode = 502;
            return http.Response.WriteAsync("<html>bad gateway</html>");
        };
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","messages":[]}"""), Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Contains("bad gateway", error["message"]!.GetValue<string>());
        Assert.Equal("server_error", error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnreachableUpstream_Returns502()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.ModelGroups["dead"] = new() { Deployments = [new() { Name = "dead", Provider = "openai", Model = "m", BaseUrl = "http://127.0.0.1:1/v1" }] });

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"dead","messages":[]}"""), Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_unreachable", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task SlowUpstream_PerRequestTimeout_Returns504()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async (http, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted);
            await UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        };
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"gpt-4o","messages":[]}""") };
        request.Headers.Add("x-switchyard-timeout", "0.3");

        using var response = await gateway.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("timeout", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamCutAfterFirstByte_EndsWithErrorEvent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var clientGotBytes = new TaskCompletionSource();
        upstream.Handler = async (http, _) =>
        {
            await UpstreamReplies.OpenAIStream(http, UpstreamReplies.ChatChunks.Take(2), done: false);
            await clientGotBytes.Task.WaitAsync(TimeSpan.FromSeconds(10));
            http.Abort();
        };
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"gpt-4o","stream":true,"messages":[]}""") };

        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stream = await response.Content.ReadAsStreamAsync(Ct);
        var first = new byte[1];
        Assert.Equal(1, await stream.ReadAsync(first, Ct));
        clientGotBytes.SetResult();
        var rest = new MemoryStream();
        var broken = await Record.ExceptionAsync(() => stream.CopyToAsync(rest, Ct));
        var body = (char)first[0] + Encoding.UTF8.GetString(rest.ToArray());

        Assert.IsAssignableFrom<IOException>(broken); // no clean end: the connection closes without the final chunk

        Assert.StartsWith(UpstreamReplies.Sse(UpstreamReplies.ChatChunks.Take(2)).Replace("data: [DONE]\n\n", "", StringComparison.Ordinal), body);
        var last = body.TrimEnd().Split("\n\n").Last();
        Assert.Equal("upstream_stream_error", JsonNode.Parse(last["data: ".Length..])!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain("[DONE]", body);
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal(502L, row["status"]);
        Assert.Equal("upstream_stream_error", row["error_type"]);
    }

    [Fact]
    public async Task Traceparent_FromCaller_IsHonoured()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"gpt-4o","messages":[]}""") };
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        using var response = await gateway.Client.SendAsync(request, Ct);

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", response.Headers.GetValues("x-switchyard-trace-id").Single());
        var spanId = response.Headers.GetValues("x-switchyard-span-id").Single();
        Assert.NotEqual("b7ad6b7169203331", spanId);
        Assert.Equal($"00-0af7651916cd43dd8448eb211c80319c-{spanId}-01", upstream.Last.Headers["traceparent"]);
        var row = await RecordedCalls.WaitForAsync(gateway, "0af7651916cd43dd8448eb211c80319c", Ct);
        Assert.Equal("b7ad6b7169203331", row["parent_span_id"]);
    }

    [Theory]
    [InlineData("http://HOST/v1", "/v1/chat/completions")]
    [InlineData("http://HOST", "/v1/chat/completions")]
    [InlineData("http://HOST/", "/v1/chat/completions")]
    [InlineData("http://HOST/api/v1", "/api/v1/chat/completions")]
    public async Task BaseUrl_WithOrWithoutV1_Resolves(string baseUrl, string expectedPath)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        var host = new Uri(upstream.BaseUrl).Authority;
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream, d => d.BaseUrl = baseUrl.Replace("HOST", host, StringComparison.Ordinal)));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"m","messages":[]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedPath, upstream.Last.PathAndQuery);
    }

    [Fact]
    public async Task DeploymentHeaders_AreSent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream, d => d.Headers["X-Org"] = "acme"));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"m","messages":[]}"""), Ct);

        Assert.Equal("acme", upstream.Last.Headers["X-Org"]);
    }

    [Fact]
    public async Task Embeddings_AndResponses_AreRelayed()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, req) => req.PathAndQuery.EndsWith("embeddings", StringComparison.Ordinal)
            ? UpstreamReplies.Json(http, """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"model":"e","usage":{"prompt_tokens":3,"total_tokens":3}}""")
            : UpstreamReplies.Json(http, """{"id":"resp_1","object":"response","status":"completed","model":"m","output":[],"usage":{"input_tokens":5,"output_tokens":6,"total_tokens":11,"input_tokens_details":{"cached_tokens":1},"output_tokens_details":{"reasoning_tokens":2}}}""");
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream));

        using var embeddings = await gateway.Client.PostAsync("/v1/embeddings", Json("""{"model":"m","input":"abc"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, embeddings.StatusCode);
        Assert.Equal("/v1/embeddings", upstream.Last.PathAndQuery);
        var row = await RecordedCalls.WaitForAsync(gateway, embeddings.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal(3L, row["input_tokens"]);
        Assert.Equal("embeddings", row["api"]);

        using var responses = await gateway.Client.PostAsync("/v1/responses", Json("""{"model":"m","input":"hello"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, responses.StatusCode);
        Assert.Equal("/v1/responses", upstream.Last.PathAndQuery);
        row = await RecordedCalls.WaitForAsync(gateway, responses.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal(5L, row["input_tokens"]);
        Assert.Equal(6L, row["output_tokens"]);
        Assert.Equal(1L, row["cached_tokens"]);
        Assert.Equal(2L, row["reasoning_tokens"]);
    }

    [Fact]
    public async Task ResponsesStream_UsageFromCompletedEvent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async (http, _) =>
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync("event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"status\":\"in_progress\"}}\n\n");
            await http.Response.WriteAsync("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n");
            await http.Response.WriteAsync("event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"status\":\"completed\",\"model\":\"m-1\",\"usage\":{\"input_tokens\":4,\"output_tokens\":2,\"total_tokens\":6}}}\n\n");
        };
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream));

        using var response = await gateway.Client.PostAsync("/v1/responses", Json("""{"model":"m","input":"hello","stream":true}"""), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("response.completed", body);
        Assert.Null(upstream.Last.Json["stream_options"]);
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal(4L, row["input_tokens"]);
        Assert.Equal(2L, row["output_tokens"]);
        Assert.NotNull(row["ttft_us"]);
    }

    [Fact]
    public async Task ClientDisconnect_MidStream_CancelsTheUpstreamCall()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var upstreamCancelled = new TaskCompletionSource();
        upstream.Handler = async (http, _) =>
        {
            http.RequestAborted.Register(() => upstreamCancelled.TrySetResult());
            http.Response.ContentType = "text/event-stream";
            for (var i = 0; i < 600 && !http.RequestAborted.IsCancellationRequested; i++)
            {
                await http.Response.WriteAsync("data: " + UpstreamReplies.ChatChunks[1] + "\n\n", http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
                await Task.Delay(50, http.RequestAborted);
            }
        };
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream));
        using var client = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl) };
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"gpt-4o","stream":true,"messages":[]}""") }, HttpCompletionOption.ResponseHeadersRead, Ct);
        var stream = await response.Content.ReadAsStreamAsync(Ct);
        Assert.True(await stream.ReadAsync(new byte[64], Ct) > 0);

        response.Dispose();
        client.Dispose();

        await upstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        Assert.Equal(499L, row["status"]);
    }

    [Fact]
    public async Task DeploymentFailsBeforeFirstByte_NextDeploymentAnswers()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.OpenAIStream(http, UpstreamReplies.ChatChunks);
        await using var gateway = await TestGateway.StartAsync(o => o.ModelGroups["m"] = new()
        {
            Deployments =
            [
                new() { Name = "dead", Provider = "openai", Model = "m", BaseUrl = "http://127.0.0.1:1/v1" },
                new() { Name = "alive", Provider = "openai", Model = "m", BaseUrl = upstream.BaseUrl },
            ],
        });

        var attempts = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"m","stream":true,"messages":[]}"""), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("alive", response.Headers.GetValues("x-switchyard-deployment").Single());
            attempts.Add(response.Headers.GetValues("x-switchyard-attempts").Single());
            if (attempts[^1] == "2")
            {
                var row = await RecordedCalls.WaitForAsync(gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
                Assert.Contains("\"deployment\":\"dead\",\"model_group\":\"m\",\"status\":502", (string)row["attempts"]!);
                Assert.Contains("\"reason\":\"unreachable\"", (string)row["attempts"]!);
            }
        }

        Assert.All(attempts, a => Assert.Contains(a, new[] { "1", "2" }));
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/health/live")]
    [InlineData("/v1/unknown")]
    public async Task EveryResponse_CarriesTraceId(string path)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.GetAsync(path, Ct);

        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("x-switchyard-trace-id").Single());
    }

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
