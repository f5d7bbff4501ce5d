using System.Net;
using System.Text;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Telemetry.Out;

public sealed class PrometheusEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_AfterSandboxCalls_ShowGenAiHistogramsRequestsAndQueues()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream, d => d.Model = "gpt-4o"));

        using (var plain = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        }

        using (var stream = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"sandbox","stream":true,"messages":[{"role":"user","content":"hi"}]}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            await stream.Content.ReadAsStringAsync(Ct);
        }

        using (var missing = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"no-such-model","messages":[]}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var priced = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","messages":[]}"""), Ct))
        {
            await RecordedCalls.WaitForAsync(gateway, priced.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);
        }

        var text = await ScrapeUntilAsync(gateway, "switchyard_cost", Ct);

        Assert.Contains("gen_ai_client_token_usage_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_token_type=\"input\"", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_token_type=\"output\"", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_client_operation_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_provider_name=\"switchyard.sandbox\"", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_client_operation_time_to_first_chunk_seconds_count{", text, StringComparison.Ordinal);
        Assert.Matches("switchyard_requests_total\\{[^}]*http_response_status_code=\"200\"", text);
        Assert.Matches("switchyard_requests_total\\{[^}]*http_response_status_code=\"404\"", text);
        Assert.Contains("switchyard_recording_queue_depth", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_recording_written_total", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_recording_dropped_total", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_ingest_queue_depth", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_ingest_refused_total", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_unpriced_calls_total", text, StringComparison.Ordinal);
        // The spec's duration buckets, not the SDK's defaults.
        Assert.Contains("le=\"81.92\"", text, StringComparison.Ordinal);
        Assert.Contains("le=\"67108864\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_NeedNoKey()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);

        using var response = await gateway.Client.GetAsync("/metrics", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The exporter caches a scrape briefly, so a fresh figure can take one more scrape.</summary>
    private static async Task<string> ScrapeUntilAsync(TestGateway gateway, string expected, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var text = await gateway.Client.GetStringAsync("/metrics", cancellationToken);
            if (text.Contains(expected, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
