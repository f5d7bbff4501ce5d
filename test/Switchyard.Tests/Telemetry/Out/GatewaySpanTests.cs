using System.Diagnostics;
using System.Net;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Telemetry.Out;

/// <summary>
/// The span exported for a call carries the GenAI attributes and exactly the ids the client saw in
/// <c>x-switchyard-trace-id</c>/<c>x-switchyard-span-id</c> and the call record stores. A tracer
/// provider listens process-wide, so spans are picked out by trace id.
/// </summary>
public sealed class GatewaySpanTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Span_HasGenAiAttributesAndTheCallsIds()
    {
        var exported = new LockedCollection<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource("Switchyard.Gateway").AddInMemoryExporter(exported).Build();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream, d => d.Model = "gpt-4o"));

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceId = response.Headers.GetValues("x-switchyard-trace-id").Single();
        var spanId = response.Headers.GetValues("x-switchyard-span-id").Single();

        var span = await WaitForSpanAsync(exported, traceId);
        Assert.Equal(spanId, span.SpanId.ToHexString());
        Assert.Equal(default, span.ParentSpanId);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat gpt-4o", span.DisplayName);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-4o", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("gpt-4o-2024-08-06", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(12L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(4L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(["stop"], Assert.IsType<string[]>(span.GetTagItem("gen_ai.response.finish_reasons")));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal("gpt-4o-openai", span.GetTagItem("switchyard.deployment"));
        Assert.Equal(1, span.GetTagItem("switchyard.attempts"));
        Assert.Equal(0.0000675, (double)span.GetTagItem("switchyard.cost_usd")!, 9);
        Assert.Null(span.GetTagItem("error.type"));

        // The upstream joins the same trace under the exported span, and the record has the same ids.
        Assert.Equal($"00-{traceId}-{spanId}-01", upstream.Last.Headers["traceparent"]);
        var record = await RecordedCalls.WaitForAsync(gateway, traceId, Ct);
        Assert.Equal(spanId, record["span_id"]);
        Assert.Null(record["parent_span_id"]);
    }

    [Fact]
    public async Task Span_KeepsTheCallersTraceAndParent()
    {
        var exported = new LockedCollection<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource("Switchyard.Gateway").AddInMemoryExporter(exported).Build();
        await using var gateway = await TestGateway.StartAsync();
        const string callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        const string callerSpan = "00f067aa0ba902b7";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"sandbox","stream":true,"messages":[{"role":"user","content":"hi"}]}"""),
        };
        request.Headers.Add("traceparent", $"00-{callerTrace}-{callerSpan}-01");

        using var response = await gateway.Client.SendAsync(request, Ct);
        await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(callerTrace, response.Headers.GetValues("x-switchyard-trace-id").Single());
        var spanId = response.Headers.GetValues("x-switchyard-span-id").Single();

        var span = await WaitForSpanAsync(exported, callerTrace, s => s.SpanId.ToHexString() == spanId);
        Assert.Equal(callerSpan, span.ParentSpanId.ToHexString());
        Assert.Equal("chat sandbox", span.DisplayName);
        Assert.Equal("switchyard.sandbox", span.GetTagItem("gen_ai.provider.name"));
        Assert.Null(span.GetTagItem("server.address"));
        var record = await RecordedCalls.WaitForAsync(gateway, callerTrace, Ct);
        Assert.Equal(spanId, record["span_id"]);
        Assert.Equal(callerSpan, record["parent_span_id"]);
    }

    [Fact]
    public async Task FailedCall_SpanHasErrorType()
    {
        var exported = new LockedCollection<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource("Switchyard.Gateway").AddInMemoryExporter(exported).Build();
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.PostAsync("/v1/embeddings", Json("""{"model":"no-such-model","input":"x"}"""), Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var span = await WaitForSpanAsync(exported, response.Headers.GetValues("x-switchyard-trace-id").Single());
        Assert.Equal("embeddings no-such-model", span.DisplayName);
        Assert.Equal("invalid_request_error", span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    private static async Task<Activity> WaitForSpanAsync(LockedCollection<Activity> exported, string traceId, Func<Activity, bool>? match = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var span = exported.FirstOrDefault(a => a.TraceId.ToHexString() == traceId && (match is null || match(a)));
            if (span is not null)
            {
                return span;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No span exported for trace {traceId}.");
            await Task.Delay(20, Ct);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
