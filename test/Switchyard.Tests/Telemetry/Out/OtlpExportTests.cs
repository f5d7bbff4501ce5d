using System.Text;
using Switchyard.Telemetry.Otlp;
using Switchyard.Telemetry.Out;
using Switchyard.Tests.Telemetry.Otlp;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Telemetry.Out;

public sealed class OtlpExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OtlpEndpoint_ReceivesTheCallsSpanAndMetrics_OverHttpProtobuf()
    {
        await using var collector = await OtlpCaptureServer.StartAsync(Ct);
        await using var gateway = await TestGateway.StartAsync(o =>
        {
            o.Telemetry.OtlpEndpoint = new Uri(collector.BaseUrl);
            o.Telemetry.OtlpProtocol = OtlpProtocol.HttpProtobuf;
            o.Telemetry.OtlpHeaders["x-collector-key"] = "k-123";
            o.Telemetry.ServiceName = "switchyard-test";
            o.Telemetry.ExportMetricsInterval = TimeSpan.FromMilliseconds(200);
        });

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
        var traceId = response.Headers.GetValues("x-switchyard-trace-id").Single();
        var spanId = response.Headers.GetValues("x-switchyard-span-id").Single();

        // The batch processor sends every few seconds; other tests' gateways may share the export.
        IngestedSpan? span = null;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (span is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The collector received no span for the call.");
            foreach (var post in collector.Posts.Where(p => p.Path == "/v1/traces"))
            {
                Assert.Equal("application/x-protobuf", post.ContentType);
                Assert.True(OtlpTraceDecoder.TryDecode(post.Body, OtlpEncoding.Protobuf, out var spans, out var error), error);
                span ??= spans.FirstOrDefault(s => s.TraceId == traceId);
            }

            await Task.Delay(100, Ct);
        }

        Assert.Equal(spanId, span.SpanId);
        Assert.Equal("chat sandbox", span.Name);
        Assert.Equal(3, span.Kind);
        Assert.Contains(collector.Posts, p => p.Path == "/v1/metrics");
    }
}
