using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Limits;
using Switchyard.Spend;
using Switchyard.Spend.Alerts;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Xunit;

namespace Switchyard.Tests.Spend;

public sealed class SpendAlertsTests : IDisposable
{
    private const long Usd = 1_000_000_000;

    private readonly string _dir = Directory.CreateTempSubdirectory("switchyard-alerts-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 14, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteAlertStore _store;

    public SpendAlertsTests()
    {
        var database = new SqliteDatabase(_dir);
        database.Migrate();
        _store = new SqliteAlertStore(database);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void HundredPercent_FiresExactlyAtTheBudget_NotANanoDollarBefore()
    {
        var (alerts, queue) = Create();
        var budget = Budget(10 * Usd);

        alerts.Observe(Observation("k1", budget, (10 * Usd) - 1));
        Assert.Equal([0.5, 0.8], Drain(queue).Select(a => a.Threshold));

        alerts.Observe(Observation("k1", budget, 10 * Usd));
        var fired = Assert.Single(Drain(queue));
        Assert.Equal(1.0, fired.Threshold);
        Assert.Equal(10 * Usd, fired.SpentNanoUsd);
        Assert.Equal(10 * Usd, fired.BudgetNanoUsd);
        Assert.Equal(_time.GetUtcNow(), fired.FiredAt);
    }

    [Theory]
    [InlineData(8_000_000_000, 10_000_000_000, 0.8, true)]
    [InlineData(7_999_999_999, 10_000_000_000, 0.8, false)]
    [InlineData(3, 10, 0.3, true)] // 0.3 × 10 is 3.0000000000000004 in double
    [InlineData(2_999_999_999, 10_000_000_000, 0.1 + 0.2, false)]
    [InlineData(3_000_000_000, 10_000_000_000, 0.1 + 0.2, true)]
    [InlineData(12_000_000_000, 10_000_000_000, 1.2, true)]
    [InlineData(1, 0, 1.0, true)]
    [InlineData(long.MaxValue, long.MaxValue, 1.0, true)]
    [InlineData(100, 100, double.NaN, false)]
    [InlineData(100, 100, double.PositiveInfinity, false)]
    [InlineData(100, 100, 0.0, false)]
    [InlineData(100, 100, -1.0, false)]
    public void Crossed_IsComputedInDecimal(long spent, long budget, double threshold, bool expected)
    {
        Assert.Equal(expected, SpendAlerts.Crossed(spent, budget, threshold));
    }

    [Fact]
    public void EachThreshold_FiresOncePerWindow_AndAgainInTheNextWindow()
    {
        var (alerts, queue) = Create();
        var budget = Budget(10 * Usd);

        for (var spent = 1L; spent <= 20; spent++)
        {
            alerts.Observe(Observation("k1", budget, spent * Usd));
        }

        Assert.Equal([0.5, 0.8, 1.0], Drain(queue).Select(a => a.Threshold));

        var tomorrow = BudgetWindow.Containing(BudgetWindowKind.Daily, _time.GetUtcNow().AddDays(1), TimeZoneInfo.Utc);
        alerts.Observe(Observation("k1", budget, 6 * Usd, tomorrow));
        alerts.Observe(Observation("k1", budget, 7 * Usd, tomorrow));
        var next = Assert.Single(Drain(queue));
        Assert.Equal((0.5, tomorrow.Start), (next.Threshold, next.Window.Start));
    }

    [Fact]
    public void SubjectsKindsAndBudgetWindowsAreIndependent()
    {
        var (alerts, queue) = Create();
        var daily = Budget(10 * Usd, thresholds: [1.0]);
        var monthly = daily with { Window = BudgetWindowKind.Monthly };
        var month = BudgetWindow.Containing(BudgetWindowKind.Monthly, new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);
        var firstOfMonth = BudgetWindow.Containing(BudgetWindowKind.Daily, new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);
        Assert.Equal(month.Id, firstOfMonth.Id); // same start: only the window kind tells them apart

        alerts.Observe(new BudgetObservation(SubjectKind.Key, "a", daily, firstOfMonth, 10 * Usd));
        alerts.Observe(new BudgetObservation(SubjectKind.Key, "a", monthly, month, 10 * Usd));
        alerts.Observe(new BudgetObservation(SubjectKind.Team, "a", daily, firstOfMonth, 10 * Usd));
        alerts.Observe(new BudgetObservation(SubjectKind.Key, "b", daily, firstOfMonth, 10 * Usd));

        Assert.Equal(4, Drain(queue).Count);
    }

    [Fact]
    public void ConcurrentObservations_FireEachThresholdOnce()
    {
        var (alerts, queue) = Create();
        var budget = Budget(1000 * Usd, thresholds: [0.1, 0.25, 0.5, 0.75, 0.9, 1.0]);
        using var start = new Barrier(16);

        var threads = Enumerable.Range(0, 16).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var spent = 1L; spent <= 1200; spent++)
            {
                alerts.Observe(Observation("hot", budget, spent * Usd));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal([0.1, 0.25, 0.5, 0.75, 0.9, 1.0], Drain(queue).Select(a => a.Threshold).Order());
        Assert.Equal(6, alerts.Fired);
    }

    [Fact]
    public void NothingNewCrossed_AllocatesNothing()
    {
        var (alerts, queue) = Create();
        var budget = Budget(10 * Usd);
        var observation = Observation("k1", budget, 9 * Usd);
        alerts.Observe(observation);
        Drain(queue);
        var below = Observation("k2", budget, 1 * Usd);
        alerts.Observe(below);

        for (var i = 0; i < 10_000; i++)
        {
            alerts.Observe(observation); // warm up: tiered compilation may allocate once on this thread
            alerts.Observe(below);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            alerts.Observe(observation);
            alerts.Observe(below);
        }

        // Any allocation per call would be at least 24 bytes × 200,000 calls; allow a one-off runtime allocation.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024);
        Assert.Empty(Drain(queue));
    }

    [Fact]
    public async Task AlertsStoredByAnEarlierProcess_DoNotFireAgain()
    {
        var (first, queue) = Create();
        var budget = Budget(10 * Usd);
        first.Observe(Observation("k1", budget, 9 * Usd));
        foreach (var alert in Drain(queue))
        {
            Assert.NotNull(await _store.TryInsertAsync(alert, TestContext.Current.CancellationToken));
        }

        var (second, queue2) = Create();
        second.Observe(Observation("k1", budget, 9 * Usd));
        Assert.Empty(Drain(queue2));
        second.Observe(Observation("k1", budget, 10 * Usd));
        Assert.Equal(1.0, Assert.Single(Drain(queue2)).Threshold);

        // The store's unique index is the second guard, for a key already forgotten in memory.
        Assert.Null(await _store.TryInsertAsync(new FiredAlert(SubjectKind.Key, "k1", Today(), 0.5, 10 * Usd, 9 * Usd, BudgetMode.Soft, _time.GetUtcNow()), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void EndedWindows_AreForgotten_TotalWindowsKept()
    {
        var (alerts, _) = Create();
        var total = BudgetWindow.Containing(BudgetWindowKind.Total, _time.GetUtcNow(), TimeZoneInfo.Utc);
        alerts.Observe(Observation("daily", Budget(10 * Usd), 10 * Usd));
        alerts.Observe(Observation("total", Budget(10 * Usd) with { Window = BudgetWindowKind.Total }, 10 * Usd, total));
        Assert.Equal(6, alerts.Remembered);

        Assert.Equal(0, alerts.Forget(Today().End!.Value + SpendAlerts.Grace - TimeSpan.FromSeconds(1)));
        Assert.Equal(3, alerts.Forget(Today().End!.Value + SpendAlerts.Grace));
        Assert.Equal(3, alerts.Remembered);
    }

    [Fact]
    public void FullQueue_LeavesTheAlertUnmarked_SoALaterCallFiresIt()
    {
        var (alerts, queue) = Create(capacity: 1);
        var budget = Budget(10 * Usd, thresholds: [0.5, 1.0]);

        alerts.Observe(Observation("k1", budget, 10 * Usd));
        Assert.Equal((1, 1), (alerts.Fired, alerts.Dropped));
        Assert.Equal(0.5, Assert.Single(Drain(queue)).Threshold);

        alerts.Observe(Observation("k1", budget, 10 * Usd));
        Assert.Equal(1.0, Assert.Single(Drain(queue)).Threshold);
    }

    [Fact]
    public void ZeroSpend_NeverFires()
    {
        var (alerts, queue) = Create();

        alerts.Observe(Observation("k1", Budget(0), 0));

        Assert.Empty(Drain(queue));
    }

    private (SpendAlerts Alerts, AlertQueue Queue) Create(int capacity = 100)
    {
        var queue = new AlertQueue(capacity);
        return (new SpendAlerts(_store, queue, _time, NullLogger<SpendAlerts>.Instance), queue);
    }

    private static Budget Budget(long amount, double[]? thresholds = null) =>
        new(amount, BudgetWindowKind.Daily, BudgetMode.Soft, thresholds ?? [0.5, 0.8, 1.0]);

    private BudgetWindow Today() => BudgetWindow.Containing(BudgetWindowKind.Daily, _time.GetUtcNow(), TimeZoneInfo.Utc);

    private BudgetObservation Observation(string subject, Budget budget, long spent, BudgetWindow? window = null) =>
        new(SubjectKind.Key, subject, budget, window ?? Today(), spent);

    private static List<FiredAlert> Drain(AlertQueue queue)
    {
        var result = new List<FiredAlert>();
        while (queue.Reader.TryRead(out var alert))
        {
            result.Add(alert);
        }

        return result;
    }
}
