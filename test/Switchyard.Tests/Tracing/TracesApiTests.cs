using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Tracing;

public sealed class TracesApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Call_IsTracedWithCallerHintsCostAndContent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream, d => d.Model = "gpt-4o"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"gpt-4o","user":"body-user","metadata":{"env":"prod","app":"a"},"messages":[{"role":"user","content":"secret hello"}]}"""),
        };
        request.Headers.Add("x-switchyard-session", "s-1");
        request.Headers.Add("x-switchyard-tags", "beta, checkout");
        request.Headers.Add("x-switchyard-metadata", """{"app":"b","team":"x"}""");

        using var response = await gateway.Client.SendAsync(request, Ct);
        var traceId = response.Headers.GetValues("x-switchyard-trace-id").Single();
        await RecordedCalls.WaitForAsync(gateway, traceId, Ct);

        var trace = await GetJsonAsync(gateway, $"/api/traces/{traceId}");
        var call = trace["spans"]![0]!;
        Assert.Equal("body-user", call["user"]!.GetValue<string>());
        Assert.Equal("s-1", call["session"]!.GetValue<string>());
        Assert.Equal(["beta", "checkout"], call["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("prod", call["metadata"]!["env"]!.GetValue<string>());
        Assert.Equal("b", call["metadata"]!["app"]!.GetValue<string>());
        // gpt-4o: $2.50/M input, $1.25/M cached input, $10/M output; 12 prompt tokens of which 2 cached, 4 output
        // of which 1 reasoning (billed as output): 10 × 2.5 + 2 × 1.25 + 4 × 10 = 67.5 micro-USD.
        Assert.Equal("0.0000675", call["cost_usd"]!.GetValue<string>());
        Assert.Contains("secret hello", call["request"]!.GetValue<string>());
        Assert.Contains("Hello from upstream", call["response"]!.GetValue<string>());
        var attempt = call["children"]![0]!;
        Assert.Equal("attempt", attempt["type"]!.GetValue<string>());
        Assert.Equal(200, attempt["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnknownPrice_IsNullNotZero()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion.Replace("gpt-4o-2024-08-06", "my-private-model", StringComparison.Ordinal));
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("private", "openai", upstream, d => d.Model = "my-private-model"));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"private","messages":[]}"""), Ct);
        var traceId = response.Headers.GetValues("x-switchyard-trace-id").Single();
        await RecordedCalls.WaitForAsync(gateway, traceId, Ct);

        var list = await GetJsonAsync(gateway, "/api/traces?model=private");
        Assert.Null(list["data"]![0]!["cost_usd"]);
        var ready = await GetJsonAsync(gateway, "/health/ready");
        Assert.Equal(1, ready["recording"]!["unpriced_calls"]!.GetValue<int>());
    }

    [Fact]
    public async Task MetadataCapture_StoresNoContent_AndRedactionApplies()
    {
        await using var metadataOnly = await TestGateway.StartAsync(o => o.Tracing.Capture = CaptureMode.Metadata);
        using var a = await metadataOnly.Client.PostAsync("/v1/chat/completions", Json("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}"""), Ct);
        var traceA = a.Headers.GetValues("x-switchyard-trace-id").Single();
        await RecordedCalls.WaitForAsync(metadataOnly, traceA, Ct);
        var callA = (await GetJsonAsync(metadataOnly, $"/api/traces/{traceA}"))["spans"]![0]!;
        Assert.Null(callA["request"]);
        Assert.Null(callA["response"]);

        await using var redacting = await TestGateway.StartAsync(o => o.Tracing.Redact = ["email", @"ACCT-\d+"]);
        using var b = await redacting.Client.PostAsync("/v1/chat/completions", Json("""{"model":"sandbox","messages":[{"role":"user","content":"mail bob@example.com about ACCT-123"}]}"""), Ct);
        var traceB = b.Headers.GetValues("x-switchyard-trace-id").Single();
        await RecordedCalls.WaitForAsync(redacting, traceB, Ct);
        var request = (await GetJsonAsync(redacting, $"/api/traces/{traceB}"))["spans"]![0]!["request"]!.GetValue<string>();
        Assert.DoesNotContain("bob@example.com", request);
        Assert.DoesNotContain("ACCT-123", request);
        Assert.Contains("[REDACTED]", request);
    }

    [Fact]
    public async Task StreamedResponse_IsStoredAssembled()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"sandbox","stream":true,"messages":[{"role":"user","content":"hi"}]}"""), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var text = string.Concat(body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).Where(d => d != "[DONE]")
            .Select(d => JsonNode.Parse(d)!["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>()));
        var traceId = response.Headers.GetValues("x-switchyard-trace-id").Single();
        await RecordedCalls.WaitForAsync(gateway, traceId, Ct);

        var stored = JsonNode.Parse((await GetJsonAsync(gateway, $"/api/traces/{traceId}"))["spans"]![0]!["response"]!.GetValue<string>())!;

        Assert.Equal(text, stored["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", stored["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.True(stored["usage"]!["completion_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task List_FiltersAndPaginatesWithCursor()
    {
        await using var gateway = await TestGateway.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""") };
            request.Headers.Add("x-switchyard-user", i % 2 == 0 ? "even" : "odd");
            request.Headers.Add("x-switchyard-tags", i < 3 ? "first" : "later");
            using var response = await gateway.Client.SendAsync(request, Ct);
            ids.Add(response.Headers.GetValues("x-switchyard-trace-id").Single());
        }

        await RecordedCalls.WaitForAsync(gateway, ids[^1], Ct);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync(gateway, "/api/traces?limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page["data"]!.AsArray().Select(c => c!["trace_id"]!.GetValue<string>()));
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(ids), seen);
        Assert.Equal(4, (await GetJsonAsync(gateway, "/api/traces?user=even"))["data"]!.AsArray().Count);
        Assert.Equal(3, (await GetJsonAsync(gateway, "/api/traces?tag=first"))["data"]!.AsArray().Count);
        var tagged = new List<string>();
        cursor = null;
        do
        {
            var page = await GetJsonAsync(gateway, "/api/traces?tag=later&limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            tagged.AddRange(page["data"]!.AsArray().Select(c => c!["trace_id"]!.GetValue<string>()));
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(ids).Take(4), tagged);
        Assert.Equal(2, (await GetJsonAsync(gateway, "/api/traces?tag=first&user=even"))["data"]!.AsArray().Count);
        Assert.Empty((await GetJsonAsync(gateway, "/api/traces?status=error"))["data"]!.AsArray());
        Assert.Equal(7, (await GetJsonAsync(gateway, "/api/traces?status=200&model=sandbox&min_latency_ms=0"))["data"]!.AsArray().Count);

        using var export = await Admin(gateway, HttpMethod.Get, "/api/traces/export?user=odd");
        var lines = (await export.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType!.MediaType);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Equal("odd", JsonNode.Parse(l)!["user"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/api/traces?from=yesterday")]
    [InlineData("/api/traces?cursor=!!!")]
    [InlineData("/api/traces?status=broken")]
    [InlineData("/api/traces?limit=-1")]
    [InlineData("/api/traces?metadata=noequals")]
    [InlineData("/api/traces/not-a-trace-id")]
    public async Task List_BadFilter_Returns400(string path)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await Admin(gateway, HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["message"]);
    }

    [Fact]
    public async Task Traces_WithoutAdminKey_Return401()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.GetAsync("/api/traces", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ScoresAndFeedback_AppearOnTheTrace()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var call = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}"""), Ct);
        var traceId = call.Headers.GetValues("x-switchyard-trace-id").Single();
        var spanId = call.Headers.GetValues("x-switchyard-span-id").Single();
        await RecordedCalls.WaitForAsync(gateway, traceId, Ct);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/feedback");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var cors = await gateway.Client.SendAsync(preflight, Ct);
        Assert.Equal(HttpStatusCode.NoContent, cors.StatusCode);
        Assert.Equal("https://app.example", cors.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var feedback = await Admin(gateway, HttpMethod.Post, "/api/feedback", $$"""{"trace_id":"{{traceId}}","span_id":"{{spanId}}","value":"👎","comment":"wrong","user":"u9"}""");
        Assert.Equal(HttpStatusCode.Created, feedback.StatusCode);
        using var score = await Admin(gateway, HttpMethod.Post, "/api/scores", $$"""{"trace_id":"{{traceId}}","name":"relevance","value":0.8,"source":"judge","comment":"ok"}""");
        Assert.Equal(HttpStatusCode.Created, score.StatusCode);
        using var category = await Admin(gateway, HttpMethod.Post, "/api/scores", $$"""{"trace_id":"{{traceId}}","name":"tone","value":"polite"}""");
        Assert.Equal(HttpStatusCode.Created, category.StatusCode);

        var scores = (await GetJsonAsync(gateway, $"/api/traces/{traceId}"))["scores"]!.AsArray();
        Assert.Equal(3, scores.Count);
        Assert.Equal(-1, scores[0]!["value"]!.GetValue<double>());
        Assert.Equal("feedback", scores[0]!["source"]!.GetValue<string>());
        Assert.Equal(spanId, scores[0]!["span_id"]!.GetValue<string>());
        Assert.Equal("polite", scores[2]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/scores", """{"name":"x","value":1}""")]
    [InlineData("/api/scores", """{"trace_id":"0af7651916cd43dd8448eb211c80319c","value":1}""")]
    [InlineData("/api/scores", """{"trace_id":"0af7651916cd43dd8448eb211c80319c","name":"x","value":"a","data_type":"numeric"}""")]
    [InlineData("/api/scores", """{"trace_id":"0af7651916cd43dd8448eb211c80319c","name":"x","value":1,"source":"martians"}""")]
    [InlineData("/api/scores", """[1,2]""")]
    [InlineData("/api/feedback", """{"trace_id":"0af7651916cd43dd8448eb211c80319c","value":"meh"}""")]
    [InlineData("/api/feedback", """{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"x","value":"up"}""")]
    [InlineData("/api/feedback", "{not json")]
    public async Task BadScore_Returns400(string path, string body)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await Admin(gateway, HttpMethod.Post, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    internal static async Task<JsonNode> GetJsonAsync(TestGateway gateway, string path)
    {
        using var response = await Admin(gateway, HttpMethod.Get, path);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    internal static async Task<HttpResponseMessage> Admin(TestGateway gateway, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminSecret);
        if (body is not null)
        {
            request.Content = Json(body);
        }

        return await gateway.Client.SendAsync(request, Ct);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
