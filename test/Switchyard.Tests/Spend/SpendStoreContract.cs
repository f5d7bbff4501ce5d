using Switchyard.Limits;
using Switchyard.Spend;
using Xunit;

namespace Switchyard.Tests.Spend;

/// <summary>
/// What every <see cref="ISpendStore"/> must do: add deltas to rows without losing any, also from
/// several writers at once, and answer budget and report queries over them. Each implementation runs it
/// by deriving from this class.
/// </summary>
public abstract class SpendStoreContract
{
    private static readonly DateOnly Day1 = new(2026, 11, 27);
    private static readonly DateOnly Day2 = new(2026, 11, 28);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over fresh, empty data.</summary>
    internal abstract ISpendStore CreateStore();

    /// <summary>Another store instance over the data of the last <see cref="CreateStore"/>, as a second gateway would see it.</summary>
    internal abstract ISpendStore OpenAnother();

    private static SpendDelta Delta(DateOnly day, string key, string user, string team, string group, long requests, long input, long output, long cost) =>
        new(day, key, user, team, group, new SpendFigures(requests, input, output, cost));

    private static SpendQuery Query(params string[] groupBy) => new(groupBy, null, null, null, null, null, null);

    [Fact]
    public async Task An_empty_ledger_reports_zeroes()
    {
        var store = CreateStore();
        var report = await store.ReportAsync(Query("key"), Ct);
        Assert.Empty(report.Rows);
        Assert.Equal(default, report.Total);
        Assert.False(report.Truncated);
        Assert.Equal(0, await store.SpentSinceAsync(SubjectKind.Key, "k1", Day1, Ct));
    }

    [Fact]
    public async Task Deltas_for_the_same_row_add_up()
    {
        var store = CreateStore();
        await store.AddAsync([Delta(Day1, "k1", "u1", "t1", "gpt", 1, 10, 5, 100)], Ct);
        await store.AddAsync([Delta(Day1, "k1", "u1", "t1", "gpt", 2, 20, 7, 250), Delta(Day1, "k1", "u1", "t1", "claude", 1, 1, 1, 1)], Ct);
        await store.AddAsync([], Ct);

        var report = await OpenAnother().ReportAsync(Query("key", "model"), Ct);
        Assert.Equal(2, report.Rows.Count);
        Assert.Equal(["k1", "gpt"], report.Rows[0].Dimensions);
        Assert.Equal(new SpendFigures(3, 30, 12, 350), report.Rows[0].Figures);
        Assert.Equal(new SpendFigures(4, 31, 13, 351), report.Total);
    }

    [Fact]
    public async Task Two_writers_adding_to_the_same_rows_lose_nothing()
    {
        CreateStore();
        var writers = new[] { OpenAnother(), OpenAnother() };
        await Task.WhenAll(writers.Select((writer, w) => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await writer.AddAsync([Delta(Day1, "k1", "", "", "gpt", 1, 2, 3, 4), Delta(Day1, "k2", "", "", "gpt", 1, w, 0, 1)], Ct);
            }
        }, Ct)));

        var report = await OpenAnother().ReportAsync(Query("key"), Ct);
        Assert.Equal(new SpendFigures(100, 200, 300, 400), Assert.Single(report.Rows, r => r.Dimensions[0] == "k1").Figures);
        Assert.Equal(new SpendFigures(100, 50, 0, 100), Assert.Single(report.Rows, r => r.Dimensions[0] == "k2").Figures);
    }

    [Fact]
    public async Task Spent_since_sums_a_subjects_cost_from_the_first_day_on()
    {
        var store = CreateStore();
        await store.AddAsync(
        [
            Delta(Day1, "k1", "u1", "t1", "gpt", 1, 0, 0, 100),
            Delta(Day2, "k1", "u1", "t1", "gpt", 1, 0, 0, 20),
            Delta(Day2, "k2", "u1", "t2", "gpt", 1, 0, 0, 3),
            Delta(Day2, "k3", "", "t1", "claude", 1, 0, 0, 4000),
        ], Ct);

        Assert.Equal(120, await store.SpentSinceAsync(SubjectKind.Key, "k1", Day1, Ct));
        Assert.Equal(20, await store.SpentSinceAsync(SubjectKind.Key, "k1", Day2, Ct));
        Assert.Equal(0, await store.SpentSinceAsync(SubjectKind.Key, "k1", Day2.AddDays(1), Ct));
        Assert.Equal(123, await store.SpentSinceAsync(SubjectKind.User, "u1", Day1, Ct));
        Assert.Equal(4120, await store.SpentSinceAsync(SubjectKind.Team, "t1", Day1, Ct));
        Assert.Equal(0, await store.SpentSinceAsync(SubjectKind.Team, "nobody", Day1, Ct));
    }

    [Fact]
    public async Task Reports_group_filter_and_put_the_costliest_first()
    {
        var store = CreateStore();
        await store.AddAsync(
        [
            Delta(Day1, "k1", "u1", "t1", "gpt", 1, 10, 1, 100),
            Delta(Day2, "k1", "u1", "t1", "gpt", 1, 10, 1, 300),
            Delta(Day2, "k2", "", "t2", "gpt", 1, 10, 1, 500),
            Delta(Day2, "", "", "", "claude", 1, 10, 1, 50),
        ], Ct);

        var byKey = await store.ReportAsync(Query("key"), Ct);
        Assert.Equal(["k2", "k1", null], byKey.Rows.Select(r => r.Dimensions[0]));
        Assert.Equal(new SpendFigures(2, 20, 2, 400), byKey.Rows[1].Figures);
        Assert.Equal(new SpendFigures(4, 40, 4, 950), byKey.Total);

        var byDay = await store.ReportAsync(Query("day") with { From = Day2, To = Day2 }, Ct);
        Assert.Equal("2026-11-28", Assert.Single(byDay.Rows).Dimensions[0]);
        Assert.Equal(850, byDay.Total.CostNanoUsd);

        var ungrouped = await store.ReportAsync(Query() with { Model = "gpt", To = Day1 }, Ct);
        Assert.Equal(new SpendFigures(1, 10, 1, 100), Assert.Single(ungrouped.Rows).Figures);
        Assert.Empty(Assert.Single(ungrouped.Rows).Dimensions);

        var oneTeam = await store.ReportAsync(Query("team", "user") with { Team = "t1" }, Ct);
        Assert.Equal(["t1", "u1"], Assert.Single(oneTeam.Rows).Dimensions);

        // A team-bound caller asking for another team's spend gets nothing.
        var scoped = await store.ReportAsync(Query("key") with { Team = "t2", ScopeTeam = "t1" }, Ct);
        Assert.Empty(scoped.Rows);
        Assert.Equal(default, scoped.Total);

        var none = await store.ReportAsync(Query() with { Key = "missing" }, Ct);
        Assert.Empty(none.Rows);
    }

    [Fact]
    public async Task A_report_stops_at_the_row_limit_but_its_total_covers_everything()
    {
        var store = CreateStore();
        await store.AddAsync(Enumerable.Range(0, SpendReport.MaxRows + 5).Select(i => Delta(Day1, $"k{i}", "", "", "gpt", 1, 0, 0, i + 1)).ToList(), Ct);

        var report = await store.ReportAsync(Query("key"), Ct);
        Assert.True(report.Truncated);
        Assert.Equal(SpendReport.MaxRows, report.Rows.Count);
        Assert.Equal($"k{SpendReport.MaxRows + 4}", report.Rows[0].Dimensions[0]);
        Assert.Equal(SpendReport.MaxRows + 5, report.Total.Requests);
    }
}
