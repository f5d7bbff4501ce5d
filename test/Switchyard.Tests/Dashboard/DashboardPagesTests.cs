using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>What the dashboard's pages show, and how they take odd input, over plain HTTP with a signed-in session.</summary>
public sealed partial class DashboardPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_trace_page_nests_the_gateway_call_under_the_application_span_that_made_it()
    {
        await using var gateway = await TestGateway.StartAsync();
        var traceId = Guid.NewGuid().ToString("N");
        const string AppSpan = "a1b2c3d4e5f60718";
        var start = DateTimeOffset.UtcNow.AddSeconds(-2).ToUnixTimeMilliseconds() * 1_000_000;
        var end = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds() * 1_000_000;
        var export = $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"rag-app"}}]},
              "scopeSpans":[{"spans":[{"traceId":"{{{traceId}}}","spanId":"{{{AppSpan}}}","name":"rag.pipeline","kind":1,
                "startTimeUnixNano":"{{{start}}}","endTimeUnixNano":"{{{end}}}","status":{"code":1}}]}]}]}
            """;
        using (var ingest = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = new StringContent(export, Encoding.UTF8, "application/json") })
        {
            ingest.Headers.Authorization = new("Bearer", TestGateway.AdminSecret);
            using var ingested = await gateway.Client.SendAsync(ingest, Ct);
            Assert.Equal(HttpStatusCode.OK, ingested.StatusCode);
        }

        using (var call = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"answer from the documents"}]}""", Encoding.UTF8, "application/json") })
        {
            call.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{AppSpan}-01");
            (await gateway.Client.SendAsync(call, Ct)).Dispose();
        }

        await RecordedCalls.WaitForAsync(gateway, traceId, Ct);
        using var client = await DashboardSession.SignedInAsync(gateway, Ct);
        var html = await client.GetStringAsync($"/ui/traces/{traceId}", Ct);
        var rows = SpanRow().Matches(html).Select(m => (Name: WebUtility.HtmlDecode(m.Groups[2].Value), Indent: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(("rag.pipeline", 0), rows[0]);
        Assert.StartsWith("chat.completions sandbox", rows[1].Name, StringComparison.Ordinal);
        Assert.Equal(1, rows[1].Indent);
        Assert.StartsWith("attempt 1", rows[2].Name, StringComparison.Ordinal);
        Assert.Equal(2, rows[2].Indent);
        Assert.Contains("answer from the documents", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_traces_table_filters_by_status_and_by_text_in_the_content()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, request) => request.Body.Contains("broken", StringComparison.Ordinal)
            ? UpstreamReplies.Json(http, """{"error":{"message":"bad","type":"invalid_request_error"}}""", 400)
            : UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream));
        foreach (var text in (string[])["a broken request", "find the needle", "plain question"])
        {
            (await gateway.Client.PostAsync("/v1/chat/completions", new StringContent($$"""{"model":"m","messages":[{"role":"user","content":"{{text}}"}]}""", Encoding.UTF8, "application/json"), Ct)).Dispose();
        }

        await RecordedCalls.WaitForCountAsync(gateway, 3, Ct);
        using var client = await DashboardSession.SignedInAsync(gateway, Ct);
        Assert.Equal(3, TraceRow().Matches(await client.GetStringAsync("/ui/traces", Ct)).Count);
        var errors = await client.GetStringAsync("/ui/traces?status=error", Ct);
        Assert.Single(TraceRow().Matches(errors));
        Assert.Contains("<option value=\"error\" selected", errors, StringComparison.Ordinal);
        Assert.Equal(2, TraceRow().Matches(await client.GetStringAsync("/ui/traces?status=success", Ct)).Count);
        Assert.Single(TraceRow().Matches(await client.GetStringAsync("/ui/traces?q=needle", Ct)));
    }

    [Theory]
    [InlineData("/ui?window=custom&from=not-a-date")]
    [InlineData("/ui?window=forever")]
    [InlineData("/ui?window=custom&from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z")]
    [InlineData("/ui/traces?cursor=%%%")]
    [InlineData("/ui/traces?min_cost=lots&status=maybe")]
    [InlineData("/ui/traces/%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("/ui/keys/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/ui/traces/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("/ui/spend?days=-5")]
    [InlineData("/ui/teams?edit=nobody")]
    public async Task Odd_query_strings_and_ids_get_a_page_not_an_error(string path)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var client = await DashboardSession.SignedInAsync(gateway, Ct);
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<tr data-trace=\"[0-9a-f]{32}\"")]
    private static partial Regex TraceRow();

    [GeneratedRegex("<div class=\"span-name depth-(\\d+)\" title=\"([^\"]*)\"")]
    private static partial Regex SpanRow();
}
