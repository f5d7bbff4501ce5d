using System.Text;
using System.Text.Json;
using Switchyard.Identity;
using Switchyard.Recording;
using Switchyard.Telemetry;
using Switchyard.Tracing;
using Xunit;
using static Switchyard.Tests.Tracing.TraceSeed;

namespace Switchyard.Tests.Tracing;

/// <summary>
/// What every <see cref="ITraceReader"/> must do: list calls newest first with every filter and a cursor,
/// show one trace with its attempts, ingested spans and scores as a tree, keep a team-bound reach to its
/// team, export JSON lines with content, and count feedback. The data is written through the write-side
/// store interfaces, so another store runs this unchanged.
/// </summary>
public abstract class TraceReaderContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A reader over fresh, empty data.</summary>
    internal abstract ITraceReader CreateReader();

    /// <summary>The call store over the data of the last <see cref="CreateReader"/>.</summary>
    internal abstract ICallRecordStore Calls();

    /// <summary>The span store over the data of the last <see cref="CreateReader"/>.</summary>
    internal abstract ISpanStore Spans();

    /// <summary>The score store over the data of the last <see cref="CreateReader"/>.</summary>
    internal abstract IScoreStore Scores();

    private static async Task<JsonElement> ListAsync(ITraceReader reader, TraceFilter filter)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            await reader.ListAsync(filter, json, null, includeContent: false, Ct);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static async Task<List<string>> IdsAsync(ITraceReader reader, TraceFilter filter) =>
        [.. (await ListAsync(reader, filter)).GetProperty("data").EnumerateArray().Select(c => c.GetProperty("trace_id").GetString()!)];

    private static async Task<JsonElement?> GetAsync(ITraceReader reader, string traceId, Reach reach)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        bool found;
        await using (var json = new Utf8JsonWriter(buffer))
        {
            found = await reader.GetAsync(traceId, json, reach, Ct);
        }

        if (!found)
        {
            Assert.Equal(0, buffer.WrittenCount);
            return null;
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private async Task<ITraceReader> SeedFiveAsync()
    {
        var reader = CreateReader();
        await WriteAsync(Calls(), Ct,
            Prepared(Call(1, TimeSpan.Zero, model: "gpt", key: "k1", team: "t1", tags: ["blue"]), """{"messages":[{"content":"find the invoice"}]}""", "here it is"),
            Prepared(Call(2, TimeSpan.FromSeconds(1), model: "claude", key: "k2", team: "t2", status: 502)),
            Prepared(Call(3, TimeSpan.FromSeconds(2), model: "gpt", key: "k2", team: "t2", latencyMs: 900, cost: 9_000_000)),
            Prepared(Call(4, TimeSpan.FromSeconds(3), model: "gpt", key: "k1", team: "t1", status: 429)),
            Prepared(Call(5, TimeSpan.FromMinutes(5), model: "claude", key: "k1", team: "t1")));
        return reader;
    }

    [Fact]
    public async Task A_list_is_newest_first_and_pages_with_its_cursor()
    {
        var reader = await SeedFiveAsync();

        var first = await ListAsync(reader, new TraceFilter { Limit = 2 });
        Assert.Equal([TraceId(5), TraceId(4)], first.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("trace_id").GetString()));
        var cursor = first.GetProperty("next_cursor").GetString();
        Assert.NotNull(cursor);

        var query = new Microsoft.AspNetCore.Http.QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["cursor"] = cursor, ["limit"] = "2" });
        Assert.True(TraceFilter.TryParse(query, out var next, out _));
        var second = await ListAsync(reader, next);
        Assert.Equal([TraceId(3), TraceId(2)], second.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("trace_id").GetString()));

        var last = await ListAsync(reader, next with { Cursor = (Us(T0), 0), Limit = 50 });
        Assert.Empty(last.GetProperty("data").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next_cursor").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await ListAsync(reader, new TraceFilter())).GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Every_filter_narrows_the_list()
    {
        var reader = await SeedFiveAsync();

        Assert.Equal([TraceId(4), TraceId(3), TraceId(1)], await IdsAsync(reader, new TraceFilter { Model = "gpt" }));
        Assert.Equal([TraceId(3), TraceId(2)], await IdsAsync(reader, new TraceFilter { Key = "k2" }));
        Assert.Equal([TraceId(5), TraceId(4), TraceId(1)], await IdsAsync(reader, new TraceFilter { Team = "t1" }));
        Assert.Equal([TraceId(4), TraceId(2)], await IdsAsync(reader, new TraceFilter { Status = -1 }));
        Assert.Equal([TraceId(5), TraceId(3), TraceId(1)], await IdsAsync(reader, new TraceFilter { Status = -2 }));
        Assert.Equal([TraceId(2)], await IdsAsync(reader, new TraceFilter { Status = 502 }));
        Assert.Equal([TraceId(3), TraceId(2)], await IdsAsync(reader, new TraceFilter { FromUs = Us(T0) + 1_000_000, ToUs = Us(T0) + 3_000_000 }));
        Assert.Equal([TraceId(1)], await IdsAsync(reader, new TraceFilter { Text = "invoice" }));
        Assert.Equal([TraceId(1)], await IdsAsync(reader, new TraceFilter { Tag = "blue" }));
        Assert.Equal([TraceId(3)], await IdsAsync(reader, new TraceFilter { MinLatencyMs = 500 }));
        Assert.Equal([TraceId(3)], await IdsAsync(reader, new TraceFilter { MinCostUsd = 0.005m }));
        Assert.Equal([TraceId(4), TraceId(1)], await IdsAsync(reader, new TraceFilter { Model = "gpt", Team = "t1" }));
    }

    [Fact]
    public async Task A_team_bound_reach_lists_only_its_team()
    {
        var reader = await SeedFiveAsync();
        var t2 = new Reach("t2", null);

        Assert.Equal([TraceId(3), TraceId(2)], await IdsAsync(reader, new TraceFilter().Within(t2)));
        Assert.Empty(await IdsAsync(reader, new TraceFilter { Team = "t1" }.Within(t2)));
    }

    [Fact]
    public async Task A_call_is_listed_with_its_figures()
    {
        var reader = await SeedFiveAsync();

        var call = (await ListAsync(reader, new TraceFilter { Limit = 1, Status = 502 })).GetProperty("data")[0];
        Assert.Equal(TraceId(2), call.GetProperty("trace_id").GetString());
        Assert.Equal("2026-11-27T10:00:01.000000Z", call.GetProperty("start_time").GetString());
        Assert.Equal(("claude", "claude-east", "k2", "t2"), (call.GetProperty("model").GetString(), call.GetProperty("deployment").GetString(), call.GetProperty("key").GetString(), call.GetProperty("team").GetString()));
        Assert.Equal(502, call.GetProperty("status").GetInt32());
        Assert.Equal(10, call.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal("0.000001", call.GetProperty("cost_usd").GetString());
        Assert.Equal(200, call.GetProperty("latency_ms").GetDouble());
        Assert.False(call.TryGetProperty("request", out _));
    }

    [Fact]
    public async Task A_trace_has_its_call_attempts_ingested_spans_and_scores_as_a_tree()
    {
        var reader = await SeedFiveAsync();
        await Spans().WriteAsync([Span(TraceId(1), "aaaaaaaaaaaaaaaa", $"{1:x16}", T0.AddMilliseconds(20), "t1"), Span(TraceId(1), "bbbbbbbbbbbbbbbb", null, T0.AddMilliseconds(-100), null)], Ct);
        await FeedbackAsync(Scores(), TraceId(1), 1, T0.AddMinutes(1), Ct);

        var trace = await GetAsync(reader, TraceId(1), Reach.Everything);
        Assert.NotNull(trace);
        var t = trace.Value;
        Assert.Equal(TraceId(1), t.GetProperty("trace_id").GetString());
        Assert.Equal(3, t.GetProperty("span_count").GetInt32());
        Assert.Equal("2026-11-27T09:59:59.900000Z", t.GetProperty("start_time").GetString());
        var roots = t.GetProperty("spans").EnumerateArray().ToList();
        // Roots come as the API has always listed them: the gateway's calls, then the ingested spans.
        Assert.Equal([$"{1:x16}", "bbbbbbbbbbbbbbbb"], roots.Select(r => r.GetProperty("span_id").GetString()));
        Assert.Equal("otlp", roots[1].GetProperty("source").GetString());
        var call = roots[0];
        Assert.Equal("gateway", call.GetProperty("source").GetString());
        Assert.Equal("""{"messages":[{"content":"find the invoice"}]}""", call.GetProperty("request").GetString());
        Assert.Equal("here it is", call.GetProperty("response").GetString());
        var children = call.GetProperty("children").EnumerateArray().ToList();
        Assert.Equal(["attempt", "span"], children.Select(c => c.GetProperty("type").GetString()));
        Assert.Equal($"{1:x16}.1", children[0].GetProperty("span_id").GetString());
        Assert.Equal("gpt-east", children[0].GetProperty("deployment").GetString());
        Assert.Equal("aaaaaaaaaaaaaaaa", children[1].GetProperty("span_id").GetString());
        var score = Assert.Single(t.GetProperty("scores").EnumerateArray().ToList());
        Assert.Equal(("feedback", 1.0), (score.GetProperty("name").GetString(), score.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task An_unknown_trace_is_not_found_and_nothing_is_written()
    {
        var reader = await SeedFiveAsync();

        Assert.Null(await GetAsync(reader, TraceId(99), Reach.Everything));
    }

    [Fact]
    public async Task A_team_bound_reach_does_not_see_another_teams_trace()
    {
        var reader = await SeedFiveAsync();
        await Spans().WriteAsync([Span(TraceId(7), "cccccccccccccccc", null, T0, "t2")], Ct);

        Assert.Null(await GetAsync(reader, TraceId(1), new Reach("t2", null)));
        Assert.Null(await GetAsync(reader, TraceId(7), new Reach("t1", null)));
        Assert.NotNull(await GetAsync(reader, TraceId(1), new Reach("t1", null)));
        Assert.NotNull(await GetAsync(reader, TraceId(7), new Reach("t2", null)));
    }

    [Fact]
    public async Task An_export_is_one_call_per_line_with_its_content()
    {
        var reader = await SeedFiveAsync();

        using var lines = new MemoryStream();
        await reader.ListAsync(new TraceFilter { Model = "gpt" }, null, lines, includeContent: true, Ct);
        var text = Encoding.UTF8.GetString(lines.ToArray());
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var calls = text.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([TraceId(4), TraceId(3), TraceId(1)], calls.Select(c => c.GetProperty("trace_id").GetString()));
        Assert.Equal("here it is", calls[2].GetProperty("response").GetString());
        Assert.Equal(JsonValueKind.Null, calls[0].GetProperty("request").ValueKind);
    }

    [Fact]
    public async Task Feedback_is_counted_per_trace_within_reach()
    {
        var reader = await SeedFiveAsync();
        await FeedbackAsync(Scores(), TraceId(1), 1, T0, Ct);
        await FeedbackAsync(Scores(), TraceId(1), -1, T0, Ct);
        await FeedbackAsync(Scores(), TraceId(1), 1, T0, Ct, team: "t2");
        await FeedbackAsync(Scores(), TraceId(3), 1, T0, Ct);
        await Scores().AddAsync(new NewScore(TraceId(3), null, "accuracy", "numeric", 1, null, "eval", null, null), new TraceWriter("k1", Reach.Everything), T0, Ct);

        var all = await reader.FeedbackOnAsync([TraceId(1), TraceId(3), TraceId(5)], Reach.Everything, Ct);
        Assert.Equal((3, 2), all[TraceId(1)]);
        Assert.Equal((1, 1), all[TraceId(3)]);
        Assert.False(all.ContainsKey(TraceId(5)));

        var t1 = await reader.FeedbackOnAsync([TraceId(1)], new Reach("t1", null), Ct);
        Assert.Equal((2, 1), t1[TraceId(1)]);
        Assert.Empty(await reader.FeedbackOnAsync([], Reach.Everything, Ct));
    }
}
