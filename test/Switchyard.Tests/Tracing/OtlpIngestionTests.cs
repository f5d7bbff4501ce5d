using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchyard.Telemetry;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Tracing;

public sealed class OtlpIngestionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenTelemetrySdk_AppSpansAndGatewayCall_FormOneTree()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var source = new ActivitySource("switchyard.tests.app-" + Guid.NewGuid().ToString("N"));
        string traceId;
        string? retrievalSpanId;
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("rag-app"))
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(gateway.BaseUrl + "/v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Headers = "Authorization=Bearer " + TestGateway.AdminSecret;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build())
        {
            using var root = source.StartActivity("rag.pipeline")!;
            traceId = root.TraceId.ToHexString();
            using (var retrieval = source.StartActivity("retrieve documents")!)
            {
                retrieval.SetTag("openinference.span.kind", "RETRIEVER");
                retrievalSpanId = retrieval.SpanId.ToHexString();
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
                {
                    Content = new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"answer from the documents"}]}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Remove("traceparent");
                request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{retrievalSpanId}-01");
                using var response = await gateway.Client.SendAsync(request, Ct);
                Assert.Equal(traceId, response.Headers.GetValues("x-switchyard-trace-id").Single());
            }

            root.Stop();
            provider.ForceFlush();
        }

        var trace = await WaitForSpansAsync(gateway, traceId, expected: 3);
        var rootNode = Assert.Single(trace["spans"]!.AsArray());
        Assert.Equal("rag.pipeline", rootNode!["name"]!.GetValue<string>());
        Assert.Equal("rag-app", rootNode["service"]!.GetValue<string>());
        var retrievalNode = Assert.Single(rootNode["children"]!.AsArray())!;
        Assert.Equal("retrieval", retrievalNode["type"]!.GetValue<string>());
        var call = Assert.Single(retrievalNode["children"]!.AsArray())!;
        Assert.Equal("gateway", call["source"]!.GetValue<string>());
        Assert.Equal(retrievalSpanId, call["parent_span_id"]!.GetValue<string>());
        Assert.Equal("sandbox", call["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Json_Gzip_AndLangfuseBasicAuth_AreAccepted()
    {
        await using var gateway = await TestGateway.StartAsync();
        const string traceId = "5b8efff798038103d269b633813fc60c";
        var export = $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"lf-app"}}]},
              "scopeSpans":[{"scope":{"name":"langfuse-sdk"},"spans":[
                {"traceId":"{{{traceId}}}","spanId":"eee19b7ec3c1b174","name":"generate","kind":1,
                 "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000",
                 "attributes":[{"key":"langfuse.observation.type","value":{"stringValue":"generation"}},
                               {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},
                               {"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}},
                               {"key":"gen_ai.usage.output_tokens","value":{"intValue":"100"}},
                               {"key":"langfuse.user.id","value":{"stringValue":"u-7"}}],
                 "status":{"code":1}}]}]}]}
            """;
        var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(export));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/public/otel/v1/traces") { Content = new ByteArrayContent(gzipped.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("pk-lf-anything:" + TestGateway.AdminSecret)));

        using var response = await gateway.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trace = await WaitForSpansAsync(gateway, traceId, expected: 1);
        var span = trace["spans"]![0]!;
        Assert.Equal("generation", span["type"]!.GetValue<string>());
        Assert.Equal("u-7", span["user"]!.GetValue<string>());
        Assert.Equal(1000, span["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal("0.0035", span["cost_usd"]!.GetValue<string>()); // 1000 × $2.50/M + 100 × $10/M

        using var scores = new HttpRequestMessage(HttpMethod.Post, "/api/public/ingestion")
        {
            Content = new StringContent($$$"""{"batch":[{"id":"e1","type":"score-create","timestamp":"2026-11-27T00:00:00Z","body":{"traceId":"{{{traceId}}}","observationId":"eee19b7ec3c1b174","name":"accuracy","value":0.9}},{"id":"e2","type":"trace-create","body":{}}]}""", Encoding.UTF8, "application/json"),
        };
        scores.Headers.Authorization = request.Headers.Authorization;
        using var ingested = await gateway.Client.SendAsync(scores, Ct);
        var result = JsonNode.Parse(await ingested.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(207, (int)ingested.StatusCode);
        Assert.Equal("e1", result["successes"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("e2", result["errors"]![0]!["id"]!.GetValue<string>());
        var withScore = await TracesApiTests.GetJsonAsync(gateway, $"/api/traces/{traceId}");
        Assert.Equal(0.9, withScore["scores"]![0]!["value"]!.GetValue<double>());
    }

    [Theory]
    [InlineData(null, "application/x-protobuf", "\n\u0001", 401)]
    [InlineData("Bearer wrong-key-0123456789", "application/x-protobuf", "\n\u0001", 401)]
    [InlineData("ADMIN", "text/plain", "x", 415)]
    [InlineData("ADMIN", "application/x-protobuf", "\n\u00ff\u00ff\u00ff\u00ff\u000f", 400)]
    [InlineData("ADMIN", "application/json", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"00\",\"spanId\":\"01\",\"name\":\"x\"}]}]}]}", 400)]
    public async Task BadExports_AreRefusedClearly(string? authorization, string contentType, string body, int expected)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = new ByteArrayContent(Encoding.Latin1.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization == "ADMIN" ? "Bearer " + TestGateway.AdminSecret : authorization);
        }

        using var response = await gateway.Client.SendAsync(request, Ct);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["message"]);
    }

    [Fact]
    public void SpanIngestQueue_Full_RefusesWholeExports()
    {
        var queue = new SpanIngestQueue(capacity: 5);
        var three = Enumerable.Range(0, 3).Select(_ => Span()).ToArray();

        Assert.True(queue.TryEnqueue(three));
        Assert.False(queue.TryEnqueue(three)); // 6 > 5: refused whole, nothing half-queued
        Assert.Equal(3, queue.Queued);
        Assert.Equal(3, queue.Refused);
        queue.Written(3);
        Assert.True(queue.TryEnqueue(three));
    }

    private static Switchyard.Telemetry.Otlp.IngestedSpan Span() => new()
    {
        TraceId = "5b8efff798038103d269b633813fc60c",
        SpanId = "eee19b7ec3c1b174",
        Name = "s",
        Attributes = new Dictionary<string, object?>(),
        ResourceAttributes = new Dictionary<string, object?>(),
        Events = [],
        Links = [],
    };

    private static async Task<JsonNode> WaitForSpansAsync(TestGateway gateway, string traceId, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await TracesApiTests.Admin(gateway, HttpMethod.Get, $"/api/traces/{traceId}");
            if (response.IsSuccessStatusCode)
            {
                var trace = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
                if (trace["span_count"]!.GetValue<int>() >= expected)
                {
                    return trace;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Trace {traceId} did not reach {expected} spans.");
            }

            await Task.Delay(50, Ct);
        }
    }
}
