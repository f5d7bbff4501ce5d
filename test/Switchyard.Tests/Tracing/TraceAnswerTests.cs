using System.Net;
using System.Text;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Tracing;

/// <summary>The trace and metrics answers, now written by async stores, are still sent whole with a <c>Content-Length</c>.</summary>
public sealed class TraceAnswerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Trace_and_metrics_answers_are_sent_whole_with_a_content_length()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var call = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
        var trace = call.Headers.GetValues("x-switchyard-trace-id").Single();
        await RecordedCalls.WaitForAsync(gateway, trace, Ct);

        foreach (var path in new[] { "/api/traces", $"/api/traces/{trace}", "/api/metrics/summary", "/api/metrics/summary?group_by=model", "/api/metrics/timeseries?bucket=1h" })
        {
            using var response = await TracesApiTests.Admin(gateway, HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
