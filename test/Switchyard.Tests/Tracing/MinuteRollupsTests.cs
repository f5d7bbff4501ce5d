using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Storage;
using Switchyard.Tests.TestUtilities;
using Switchyard.Tracing;
using Xunit;

namespace Switchyard.Tests.Tracing;

public sealed class MinuteRollupsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Histogram_percentiles_stay_within_three_percent_of_the_exact_ones_and_survive_serialisation()
    {
        var random = new Random(9);
        var latencies = Enumerable.Range(0, 20_000).Select(_ => (long)(200_000 * Math.Exp(random.NextDouble() * 4))).ToList();
        var a = new MinuteStats();
        var b = new MinuteStats();
        foreach (var (value, i) in latencies.Select((l, i) => (l, i)))
        {
            (i % 2 == 0 ? a : b).Add(i % 50 == 0 ? 500 : 200, 10, 5, 0, 0, i % 7 == 0 ? null : 1000, value, value / 3, i % 3 == 0 ? "hit" : "miss", i % 3 == 0 ? 1000 : null);
        }

        var merged = MinuteStats.Deserialize(a.Serialize());
        merged.MergeSerialized(b.Serialize());
        Assert.Equal(20_000, merged.Requests);
        Assert.Equal(400, merged.Errors);
        Assert.Equal(200_000, merged.Input);
        Assert.Equal(20_000 - 2858, merged.Requests - merged.Unpriced);
        Assert.Equal(20_000, merged.CacheLookups);
        Assert.Equal(6667, merged.CacheHits);

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            merged.Write(json);
            json.WriteEndObject();
        }

        var latency = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("latency_ms");
        var sorted = latencies.Order().ToList();
        foreach (var (name, p) in new[] { ("p50", 0.50), ("p95", 0.95), ("p99", 0.99) })
        {
            var exact = sorted[(int)Math.Ceiling(p * sorted.Count) - 1] / 1000.0;
            Assert.InRange(latency.GetProperty(name).GetDouble(), exact * 0.97, exact * 1.03);
        }
    }

    [Fact]
    public async Task The_dashboard_figures_from_rollups_match_the_calls_and_a_store_without_rollups_gets_them_at_start()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, request) => request.Body.Contains("fail", StringComparison.Ordinal)
            ? UpstreamReplies.Json(http, """{"error":{"message":"bad","type":"invalid_request_error"}}""", 400)
            : UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        var data = TestGateway.NewDataDirectory();
        string exact, approximate;
        await using (var gateway = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream, d => d.Model = "gpt-4o"), dataDirectory: data))
        {
            for (var i = 0; i < 12; i++)
            {
                using var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent($$"""{"model":"m","messages":[{"role":"user","content":"{{(i % 4 == 0 ? "fail" : "ok")}} {{i}}"}]}""", Encoding.UTF8, "application/json"), Ct);
            }

            await RecordedCalls.WaitForCountAsync(gateway, 12, Ct);
            (exact, approximate) = await BothAsync(gateway);
            AssertSameFigures(exact, approximate);
        }

        // Drop the rollups, as a store from before them (or seeded directly) would be: the next start rebuilds them.
        using (var connection = new SqliteDatabase(data).Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM call_minutes";
            command.ExecuteNonQuery();
        }

        await using (var restarted = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream, d => d.Model = "gpt-4o"), dataDirectory: data))
        {
            var (_, rebuilt) = await BothAsync(restarted);
            AssertSameFigures(exact, rebuilt);
        }
    }

    [Fact]
    public async Task Key_and_team_views_over_whole_hours_come_from_the_hourly_rollups_and_match_the_calls()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream, d => d.Model = "gpt-4o"), anonymous: false);
        await gateway.CreateAsync("/api/teams", """{"id":"search"}""");
        var (alice, aliceSecret) = await gateway.CreateKeyAsync("""{"name":"alice","team":"search"}""");
        var (_, bobSecret) = await gateway.CreateKeyAsync("""{"name":"bob"}""");
        foreach (var (secret, calls) in new[] { (aliceSecret, 3), (bobSecret, 2) })
        {
            for (var i = 0; i < calls; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new("Bearer", secret);
                (await gateway.Client.SendAsync(request, Ct)).Dispose();
            }
        }

        await RecordedCalls.WaitForCountAsync(gateway, 5, Ct);
        var aggregates = gateway.Services.GetRequiredService<ITraceAggregates>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        foreach (var (filter, expected) in new[]
        {
            (new TraceFilter { FromUs = MinuteRollups.HourOf(now) - MinuteRollups.HourUs, ToUs = now + 60_000_000, Key = alice }, 3),
            (new TraceFilter { FromUs = MinuteRollups.HourOf(now) - MinuteRollups.HourUs, ToUs = now + 60_000_000, Team = "search" }, 3),
            (new TraceFilter { FromUs = MinuteRollups.HourOf(now) - MinuteRollups.HourUs, ToUs = now + 60_000_000 }, 5),
        })
        {
            // The whole window (buckets could straddle an hour boundary): the rollups' totals are the calls'.
            var exact = JsonDocument.Parse(await WriteAsync(json => aggregates.WriteAsync(filter, null, null, json, approximate: false, Ct))).RootElement.GetProperty("groups")[0];
            var approximate = JsonDocument.Parse(await WriteAsync(json => aggregates.WriteAsync(filter, null, null, json, approximate: true, Ct))).RootElement;
            Assert.True(approximate.GetProperty("approximate_percentiles").GetBoolean());
            var summary = approximate.GetProperty("groups")[0];
            Assert.Equal(expected, summary.GetProperty("requests").GetInt32());
            Assert.Equal(exact.GetProperty("requests").GetInt32(), summary.GetProperty("requests").GetInt32());
            Assert.Equal(exact.GetProperty("cost_usd").GetString(), summary.GetProperty("cost_usd").GetString());
            Assert.Equal(exact.GetProperty("input_tokens").GetInt64(), summary.GetProperty("input_tokens").GetInt64());
        }
    }

    private static async Task<(string Exact, string Approximate)> BothAsync(TestGateway gateway)
    {
        var aggregates = gateway.Services.GetRequiredService<ITraceAggregates>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var filter = new TraceFilter { FromUs = MinuteRollups.MinuteOf(now - 3_600_000_000L), ToUs = now + 60_000_000 };
        return (await WriteAsync(json => aggregates.WriteAsync(filter, null, null, json, approximate: false, Ct)), await WriteAsync(json => aggregates.WriteAsync(filter, null, null, json, approximate: true, Ct)));
    }

    private static void AssertSameFigures(string exact, string approximate)
    {
        var e = JsonDocument.Parse(exact).RootElement.GetProperty("groups")[0];
        var a = JsonDocument.Parse(approximate).RootElement;
        Assert.True(a.GetProperty("approximate_percentiles").GetBoolean());
        a = a.GetProperty("groups")[0];
        foreach (var name in (string[])["requests", "errors", "error_rate", "input_tokens", "output_tokens", "cost_usd"])
        {
            Assert.Equal(e.GetProperty(name).ToString(), a.GetProperty(name).ToString());
        }

        Assert.Equal(12, a.GetProperty("requests").GetInt32());
        Assert.Equal(3, a.GetProperty("errors").GetInt32());
        var exactP50 = e.GetProperty("latency_ms").GetProperty("p50").GetDouble();
        Assert.InRange(a.GetProperty("latency_ms").GetProperty("p50").GetDouble(), exactP50 * 0.95, exactP50 * 1.05 + 0.01);
    }

    private static async Task<string> WriteAsync(Func<Utf8JsonWriter, Task> write)
    {
        using var stream = new MemoryStream();
        await using (var json = new Utf8JsonWriter(stream))
        {
            await write(json);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
