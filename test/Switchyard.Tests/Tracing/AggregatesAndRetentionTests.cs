using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Tests.TestUtilities;
using Switchyard.Tracing;
using Xunit;

namespace Switchyard.Tests.Tracing;

public sealed class AggregatesAndRetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Summary_GroupsByModel_WithExactCountsTokensAndFeedback()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.ModelGroups["broken"] = new()
        {
            Deployments = [new() { Name = "broken", Provider = "sandbox", Model = "broken", Sandbox = { ErrorRate = 1 } }],
        });
        string? lastTrace = null;
        for (var i = 0; i < 5; i++)
        {
            using var ok = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}"""), Ct);
            lastTrace = ok.Headers.GetValues("x-switchyard-trace-id").Single();
        }

        for (var i = 0; i < 2; i++)
        {
            using var failed = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"broken","messages":[{"role":"user","content":"hi"}]}"""), Ct);
            lastTrace = failed.Headers.GetValues("x-switchyard-trace-id").Single();
        }

        await RecordedCalls.WaitForAsync(gateway, lastTrace!, Ct);
        var firstOk = (await TracesApiTests.GetJsonAsync(gateway, "/api/traces?model=sandbox"))["data"]![0]!["trace_id"]!.GetValue<string>();
        using (await TracesApiTests.Admin(gateway, HttpMethod.Post, "/api/feedback", $$"""{"trace_id":"{{firstOk}}","value":"up"}"""))
        {
        }

        var summary = await TracesApiTests.GetJsonAsync(gateway, "/api/metrics/summary?group_by=model");
        var groups = summary["groups"]!.AsArray().ToDictionary(g => g!["model"]!.GetValue<string>());

        Assert.Equal(5, groups["sandbox"]!["requests"]!.GetValue<int>());
        Assert.Equal(0, groups["sandbox"]!["errors"]!.GetValue<int>());
        Assert.True(groups["sandbox"]!["output_tokens"]!.GetValue<long>() > 0);
        Assert.Equal("0", groups["sandbox"]!["cost_usd"]!.GetValue<string>());
        Assert.True(groups["sandbox"]!["latency_ms"]!["p99"]!.GetValue<double>() >= groups["sandbox"]!["latency_ms"]!["p50"]!.GetValue<double>());
        Assert.Equal(1, groups["sandbox"]!["feedback"]!["positive"]!.GetValue<int>());
        Assert.Equal(2, groups["broken"]!["requests"]!.GetValue<int>());
        Assert.Equal(1.0, groups["broken"]!["error_rate"]!.GetValue<double>());

        var byStatus = (await TracesApiTests.GetJsonAsync(gateway, "/api/metrics/summary?group_by=status"))["groups"]!.AsArray().ToDictionary(g => g!["status"]!.GetValue<string>());
        Assert.Equal(5, byStatus["200"]!["requests"]!.GetValue<int>());
        Assert.Equal(2, byStatus["500"]!["requests"]!.GetValue<int>());

        var series = await TracesApiTests.GetJsonAsync(gateway, "/api/metrics/timeseries?bucket=1h&status=error");
        Assert.Equal(3600, series["bucket_seconds"]!.GetValue<int>());
        Assert.Equal(2, series["buckets"]!.AsArray().Sum(b => b!["requests"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("/api/metrics/summary?group_by=colour")]
    [InlineData("/api/metrics/timeseries?bucket=0s")]
    [InlineData("/api/metrics/timeseries?bucket=1s")]
    public async Task Aggregates_BadParameters_Return400(string path)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await TracesApiTests.Admin(gateway, HttpMethod.Get, path);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Retention_DeletesCallsOlderThanTheWindow()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(o => o.Tracing.Retention = TimeSpan.FromDays(30), services: s => s.AddSingleton<TimeProvider>(clock));
        using var old = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"sandbox","messages":[{"role":"user","content":"old"}]}"""), Ct);
        var oldTrace = old.Headers.GetValues("x-switchyard-trace-id").Single();
        await RecordedCalls.WaitForAsync(gateway, oldTrace, Ct);
        using (await TracesApiTests.Admin(gateway, HttpMethod.Post, "/api/scores", $$"""{"trace_id":"{{oldTrace}}","name":"n","value":1}"""))
        {
        }

        clock.Advance(TimeSpan.FromDays(31));
        using var recent = await gateway.Client.PostAsync("/v1/chat/completions", Json("""{"model":"sandbox","messages":[{"role":"user","content":"new"}]}"""), Ct);
        var recentTrace = recent.Headers.GetValues("x-switchyard-trace-id").Single();
        await RecordedCalls.WaitForAsync(gateway, recentTrace, Ct);

        // Advancing the clock also wakes the service's own first pass; either way both rows go.
        var retention = gateway.Services.GetRequiredService<RetentionService>();
        await retention.PurgeOnceAsync(Ct);

        Assert.Equal(4, retention.Deleted); // the old call, its score, and its minute and hour of rollups
        Assert.Equal(1L, RecordedCalls.Count(gateway));
        using var gone = await TracesApiTests.Admin(gateway, HttpMethod.Get, $"/api/traces/{oldTrace}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
