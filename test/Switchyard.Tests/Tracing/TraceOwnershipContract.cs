using Switchyard.Accounting;
using Switchyard.Gateway;
using Switchyard.Identity;
using Switchyard.Recording;
using Switchyard.Telemetry;
using Switchyard.Telemetry.Otlp;
using Switchyard.Tracing;
using Xunit;

namespace Switchyard.Tests.Tracing;

/// <summary>
/// What every <see cref="ITraceOwnership"/> must do: refuse a writer exactly the traces that hold calls
/// or spans, none of them its team's (or its own key's, without a team). Each implementation runs it by
/// deriving from this class and giving the call and span stores over the same data.
/// </summary>
public abstract class TraceOwnershipContract
{
    private static readonly string TeamCall = new('a', 32);
    private static readonly string KeyCall = new('b', 32);
    private static readonly string TeamSpan = new('c', 32);
    private static readonly string Fresh = new('d', 32);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The ownership check over fresh, empty data.</summary>
    internal abstract ITraceOwnership CreateOwnership();

    /// <summary>The call store over the data of the last <see cref="CreateOwnership"/>.</summary>
    internal abstract ICallRecordStore Calls();

    /// <summary>The span store over the data of the last <see cref="CreateOwnership"/>.</summary>
    internal abstract ISpanStore Spans();

    private static CallRecord Call(string trace, string key, string? team) =>
        new(trace, "span", null, DateTimeOffset.UnixEpoch.AddYears(56), ClientApi.ChatCompletions, "gpt", "d", "openai", "m", null, 200, null, null, false,
            new TokenUsage(1, 1), true, "stop", TimeSpan.FromMilliseconds(1), null, key, null, [])
        { Team = team };

    private static PreparedSpan Span(string trace, string key, string team) => new(
        new IngestedSpan
        {
            TraceId = trace,
            SpanId = "0123456789abcdef",
            Name = "app",
            Attributes = new Dictionary<string, object?>(),
            ResourceAttributes = new Dictionary<string, object?>(),
            Events = [],
            Links = [],
            WriterKey = key,
            WriterTeam = team,
        },
        null,
        "{}",
        null);

    private async Task<ITraceOwnership> SeededAsync()
    {
        var ownership = CreateOwnership();
        await using (var session = await Calls().OpenSessionAsync(Ct))
        {
            await session.WriteAsync([new PreparedCall(Call(TeamCall, "k1", "t1"), default, default), new PreparedCall(Call(KeyCall, "k2", null), default, default)], Ct);
        }

        await Spans().WriteAsync([Span(TeamSpan, "k3", "t2")], Ct);
        return ownership;
    }

    private static TraceWriter TeamWriter(string team) => new("k-" + team, new Reach(team, null));

    private static TraceWriter KeyWriter(string key) => new(key, new Reach(null, key));

    [Fact]
    public async Task A_team_writes_to_its_traces_and_to_new_ones_only()
    {
        var ownership = await SeededAsync();
        string[] all = [TeamCall, KeyCall, TeamSpan, Fresh];
        Assert.Equal([KeyCall, TeamSpan], (await ownership.RefusedAsync(all, TeamWriter("t1"), Ct)).Order(StringComparer.Ordinal));
        Assert.Equal([TeamCall, KeyCall], (await ownership.RefusedAsync(all, TeamWriter("t2"), Ct)).Order(StringComparer.Ordinal));
        Assert.Empty(await ownership.RefusedAsync([Fresh], TeamWriter("t3"), Ct));
    }

    [Fact]
    public async Task A_key_without_a_team_writes_to_its_own_traces_and_new_ones()
    {
        var ownership = await SeededAsync();
        Assert.Equal([TeamCall, TeamSpan], (await ownership.RefusedAsync([TeamCall, KeyCall, TeamSpan, Fresh], KeyWriter("k2"), Ct)).Order(StringComparer.Ordinal));
        Assert.Equal([KeyCall], await ownership.RefusedAsync([KeyCall], KeyWriter("k1"), Ct));
    }

    [Fact]
    public async Task A_writer_that_writes_everything_is_refused_nothing()
    {
        var ownership = await SeededAsync();
        Assert.Empty(await ownership.RefusedAsync([TeamCall, KeyCall, TeamSpan, Fresh], TraceWriter.Admin, Ct));
        Assert.Empty(await ownership.RefusedAsync([], TeamWriter("t1"), Ct));
    }
}
