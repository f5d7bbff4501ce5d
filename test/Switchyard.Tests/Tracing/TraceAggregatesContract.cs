using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Identity;
using Switchyard.Recording;
using Switchyard.Tracing;
using Xunit;
using static Switchyard.Tests.Tracing.TraceSeed;

namespace Switchyard.Tests.Tracing;

/// <summary>
/// What every <see cref="ITraceAggregates"/> must do: a summary of a window with exact counts, sums,
/// percentiles and feedback; one summary per group; time buckets; the default window; a team-bound
/// reach; and the same totals when the rollups answer. The data is written through the write-side
/// store interfaces, so another store runs this unchanged.
/// </summary>
public abstract class TraceAggregatesContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static long From => Us(T0);

    private static long To => Us(T0.AddHours(1));

    /// <summary>Aggregates over fresh, empty data, with <paramref name="time"/> for the default window.</summary>
    internal abstract ITraceAggregates CreateAggregates(TimeProvider time);

    /// <summary>The call store over the data of the last <see cref="CreateAggregates"/>.</summary>
    internal abstract ICallRecordStore Calls();

    /// <summary>The score store over the data of the last <see cref="CreateAggregates"/>.</summary>
    internal abstract IScoreStore Scores();

    private static async Task<JsonElement> WriteAsync(ITraceAggregates aggregates, TraceFilter filter, string? groupBy = null, TimeSpan? bucket = null, bool approximate = false)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            await aggregates.WriteAsync(filter, groupBy, bucket, json, approximate, Ct);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private async Task<ITraceAggregates> SeedAsync(TimeProvider? time = null)
    {
        var aggregates = CreateAggregates(time ?? new FakeTimeProvider(T0.AddDays(2)));
        await TraceSeed.WriteAsync(Calls(), Ct,
            Prepared(Call(1, TimeSpan.FromSeconds(10), model: "gpt", team: "t1", latencyMs: 100, cost: 1_000_000)),
            Prepared(Call(2, TimeSpan.FromSeconds(20), model: "gpt", team: "t1", latencyMs: 200, cost: 2_000_000, status: 500)),
            Prepared(Call(3, TimeSpan.FromMinutes(1.5), model: "claude", team: "t2", latencyMs: 300, cost: 3_000_000)),
            Prepared(Call(4, TimeSpan.FromMinutes(2.5), model: "gpt", team: "t2", latencyMs: 400, cost: null)),
            Prepared(Call(5, TimeSpan.FromHours(2), model: "gpt", team: "t1", latencyMs: 500)));
        await FeedbackAsync(Scores(), TraceId(1), 1, T0.AddMinutes(5), Ct);
        await FeedbackAsync(Scores(), TraceId(3), -1, T0.AddMinutes(5), Ct);
        return aggregates;
    }

    [Fact]
    public async Task A_summary_has_exact_counts_sums_percentiles_and_feedback()
    {
        var aggregates = await SeedAsync();

        var answer = await WriteAsync(aggregates, new TraceFilter { FromUs = From, ToUs = To });
        Assert.Equal(("2026-11-27T10:00:00.000Z", "2026-11-27T11:00:00.000Z"), (answer.GetProperty("from").GetString(), answer.GetProperty("to").GetString()));
        Assert.False(answer.TryGetProperty("approximate_percentiles", out _));
        var summary = Assert.Single(answer.GetProperty("groups").EnumerateArray().ToList());
        Assert.Equal(4, summary.GetProperty("requests").GetInt32());
        Assert.Equal(1, summary.GetProperty("errors").GetInt32());
        Assert.Equal(0.25, summary.GetProperty("error_rate").GetDouble());
        Assert.Equal(40, summary.GetProperty("input_tokens").GetInt64());
        Assert.Equal("0.006", summary.GetProperty("cost_usd").GetString());
        Assert.Equal(1, summary.GetProperty("unpriced_requests").GetInt32());
        var latency = summary.GetProperty("latency_ms");
        Assert.Equal((200.0, 400.0, 400.0), (latency.GetProperty("p50").GetDouble(), latency.GetProperty("p95").GetDouble(), latency.GetProperty("p99").GetDouble()));
        var feedback = summary.GetProperty("feedback");
        Assert.Equal((2, 1, 1), (feedback.GetProperty("count").GetInt32(), feedback.GetProperty("positive").GetInt32(), feedback.GetProperty("negative").GetInt32()));
    }

    [Fact]
    public async Task Group_by_gives_one_summary_per_value_in_order()
    {
        var aggregates = await SeedAsync();

        var answer = await WriteAsync(aggregates, new TraceFilter { FromUs = From, ToUs = To }, groupBy: "Model");
        Assert.Equal("model", answer.GetProperty("group_by").GetString());
        var groups = answer.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["claude", "gpt"], groups.Select(g => g.GetProperty("model").GetString()));
        Assert.Equal([1, 3], groups.Select(g => g.GetProperty("requests").GetInt32()));
        Assert.Equal([1, 1], groups.Select(g => g.GetProperty("feedback").GetProperty("count").GetInt32()));

        var byStatus = (await WriteAsync(aggregates, new TraceFilter { FromUs = From, ToUs = To }, groupBy: "status")).GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["200", "500"], byStatus.Select(g => g.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Buckets_split_the_window_from_its_start()
    {
        var aggregates = await SeedAsync();

        var answer = await WriteAsync(aggregates, new TraceFilter { FromUs = From, ToUs = To }, bucket: TimeSpan.FromMinutes(1));
        Assert.Equal(60, answer.GetProperty("bucket_seconds").GetInt64());
        Assert.False(answer.TryGetProperty("groups", out _));
        var buckets = answer.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(["2026-11-27T10:00:00.000Z", "2026-11-27T10:01:00.000Z", "2026-11-27T10:02:00.000Z"], buckets.Select(b => b.GetProperty("start").GetString()));
        Assert.Equal([2, 1, 1], buckets.Select(b => b.GetProperty("requests").GetInt32()));
        Assert.Equal([1, 1, 0], buckets.Select(b => b.GetProperty("feedback").GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task The_window_defaults_to_the_day_before_now()
    {
        var aggregates = await SeedAsync(new FakeTimeProvider(T0.AddHours(3)));

        var answer = await WriteAsync(aggregates, new TraceFilter());
        Assert.Equal(("2026-11-26T13:00:00.000Z", "2026-11-27T13:00:00.000Z"), (answer.GetProperty("from").GetString(), answer.GetProperty("to").GetString()));
        Assert.Equal(5, answer.GetProperty("groups")[0].GetProperty("requests").GetInt32());
        Assert.Empty((await WriteAsync(aggregates, new TraceFilter { FromUs = Us(T0.AddDays(-1)), ToUs = From })).GetProperty("groups").EnumerateArray());
    }

    [Fact]
    public async Task A_team_bound_reach_counts_only_its_team()
    {
        var aggregates = await SeedAsync();

        var answer = await WriteAsync(aggregates, new TraceFilter { FromUs = From, ToUs = To }.Within(new Reach("t2", null)));
        var summary = answer.GetProperty("groups")[0];
        Assert.Equal((2, "0.003"), (summary.GetProperty("requests").GetInt32(), summary.GetProperty("cost_usd").GetString()));
        Assert.Empty((await WriteAsync(aggregates, new TraceFilter { FromUs = From, ToUs = To, Team = "t1" }.Within(new Reach("t2", null)))).GetProperty("groups").EnumerateArray());
    }

    [Fact]
    public async Task The_rollups_answer_with_the_same_totals()
    {
        var aggregates = await SeedAsync();

        foreach (var filter in new[] { new TraceFilter { FromUs = From, ToUs = To }, new TraceFilter { FromUs = From, ToUs = To, Model = "gpt" }, new TraceFilter { FromUs = From, ToUs = To, Team = "t2" } })
        {
            var exact = (await WriteAsync(aggregates, filter)).GetProperty("groups")[0];
            var answer = await WriteAsync(aggregates, filter, approximate: true);
            Assert.True(answer.GetProperty("approximate_percentiles").GetBoolean());
            var approximate = answer.GetProperty("groups")[0];
            foreach (var name in (string[])["requests", "errors", "error_rate", "input_tokens", "output_tokens", "cost_usd", "unpriced_requests", "feedback"])
            {
                Assert.Equal(exact.GetProperty(name).ToString(), approximate.GetProperty(name).ToString());
            }
        }

        var bucketed = await WriteAsync(aggregates, new TraceFilter { FromUs = From, ToUs = To }, bucket: TimeSpan.FromMinutes(1), approximate: true);
        Assert.Equal(4, bucketed.GetProperty("summary").GetProperty("requests").GetInt32());
        Assert.Equal([2, 1, 1], bucketed.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("requests").GetInt32()));
    }
}
