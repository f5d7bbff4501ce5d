using Switchyard.Limits;
using Switchyard.Spend.Alerts;
using Xunit;

namespace Switchyard.Tests.Spend;

/// <summary>
/// What every <see cref="IAlertStore"/> must do: store an alert once per subject, window and threshold
/// (also when two writers race), track delivery, and list, load and filter the log. Each implementation
/// runs it by deriving from this class.
/// </summary>
public abstract class AlertStoreContract
{
    private const long Usd = 1_000_000_000;
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over fresh, empty data.</summary>
    internal abstract IAlertStore CreateStore();

    /// <summary>Another store instance over the data of the last <see cref="CreateStore"/>, as a second gateway would see it.</summary>
    internal abstract IAlertStore OpenAnother();

    private static BudgetWindow Day(DateTimeOffset at) => BudgetWindow.Containing(BudgetWindowKind.Daily, at, TimeZoneInfo.Utc);

    private static FiredAlert Alert(string subject = "k1", double threshold = 0.5, DateTimeOffset? at = null, SubjectKind kind = SubjectKind.Key, BudgetWindow? window = null) =>
        new(kind, subject, window ?? Day(at ?? T0), threshold, 10 * Usd, (long)(threshold * 10 * Usd), BudgetMode.Soft, at ?? T0);

    [Fact]
    public async Task An_alert_is_stored_once_per_subject_window_and_threshold()
    {
        var store = CreateStore();
        var first = await store.TryInsertAsync(Alert(), Ct);
        Assert.NotNull(first);
        Assert.Null(await store.TryInsertAsync(Alert(at: T0.AddHours(1)), Ct)); // Same day, same threshold.
        Assert.Null(await OpenAnother().TryInsertAsync(Alert(), Ct));
        Assert.NotNull(await store.TryInsertAsync(Alert(threshold: 0.8), Ct));
        Assert.NotNull(await store.TryInsertAsync(Alert(at: T0.AddDays(1)), Ct)); // The next day's window.
        Assert.NotNull(await store.TryInsertAsync(Alert(kind: SubjectKind.Team), Ct));
    }

    [Fact]
    public async Task Two_writers_racing_to_store_the_same_alerts_store_each_once()
    {
        CreateStore();
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var store = OpenAnother();
            var stored = 0;
            for (var i = 0; i < 20; i++)
            {
                stored += await store.TryInsertAsync(Alert($"k{i}"), Ct) is null ? 0 : 1;
            }

            return stored;
        }, Ct)));

        Assert.Equal(20, results.Sum());
        Assert.Equal(20, (await OpenAnother().ListAsync(new AlertQuery { Limit = 100 }, Ct)).Count);
    }

    [Fact]
    public async Task Stored_alerts_come_back_whole_and_are_pending_until_delivered()
    {
        var store = CreateStore();
        var a = (await store.TryInsertAsync(Alert("k1"), Ct))!.Value;
        var b = (await store.TryInsertAsync(Alert("k2", at: T0.AddMinutes(1)), Ct))!.Value;
        var c = (await store.TryInsertAsync(Alert("k3", at: T0.AddMinutes(2)), Ct))!.Value;

        var pending = await store.PendingAsync(10, Ct);
        Assert.Equal([a, b, c], pending.Select(p => p.Id));
        Assert.Equal(Alert("k1") with { Id = a }, pending[0]);
        Assert.Equal([a], (await store.PendingAsync(1, Ct)).Select(p => p.Id));

        await store.SetDeliveryAsync(a, AlertNames.Pending, 2, null, null, Ct);
        await store.SetDeliveryAsync(a, AlertNames.Delivered, 1, null, T0.AddMinutes(5), Ct);
        await store.SetDeliveryAsync(b, AlertNames.Failed, 3, "https://hooks.example: 500", null, Ct);
        Assert.Equal([c], (await OpenAnother().PendingAsync(10, Ct)).Select(p => p.Id));

        var listed = await OpenAnother().ListAsync(new AlertQuery(), Ct);
        Assert.Equal([c, b, a], listed.Select(l => l.Alert.Id)); // Newest first.
        Assert.Equal((AlertNames.Delivered, 3, null, T0.AddMinutes(5)), (listed[2].Status, listed[2].Attempts, listed[2].LastError, listed[2].DeliveredAt));
        Assert.Equal((AlertNames.Failed, 3, "https://hooks.example: 500", null), (listed[1].Status, listed[1].Attempts, listed[1].LastError, listed[1].DeliveredAt));
        Assert.Equal(AlertNames.Pending, listed[0].Status);
    }

    [Fact]
    public async Task The_log_filters_by_subject_and_time_and_stops_at_the_limit()
    {
        var store = CreateStore();
        await store.TryInsertAsync(Alert("k1"), Ct);
        await store.TryInsertAsync(Alert("k1", 0.8, T0.AddHours(1)), Ct);
        await store.TryInsertAsync(Alert("t1", kind: SubjectKind.Team, at: T0.AddHours(2)), Ct);

        Assert.Equal(2, (await store.ListAsync(new AlertQuery { Kind = SubjectKind.Key, SubjectId = "k1" }, Ct)).Count);
        Assert.Equal("t1", Assert.Single(await store.ListAsync(new AlertQuery { Kind = SubjectKind.Team }, Ct)).Alert.SubjectId);
        var t0Us = T0.ToUnixTimeMilliseconds() * 1000;
        var hour = 3_600_000_000L;
        Assert.Equal(0.8, Assert.Single(await store.ListAsync(new AlertQuery { FromUs = t0Us + 1, ToUs = t0Us + (2 * hour) }, Ct)).Alert.Threshold);
        Assert.Equal("t1", Assert.Single(await store.ListAsync(new AlertQuery { Limit = 1 }, Ct)).Alert.SubjectId);
    }

    [Fact]
    public async Task Fired_alerts_load_while_their_window_has_not_ended()
    {
        var store = CreateStore();
        await store.TryInsertAsync(Alert("yesterday", at: T0.AddDays(-1)), Ct);
        await store.TryInsertAsync(Alert("today"), Ct);
        var total = BudgetWindow.Containing(BudgetWindowKind.Total, T0, TimeZoneInfo.Utc);
        await store.TryInsertAsync(Alert("forever", window: total), Ct);

        var loaded = await OpenAnother().LoadFiredAsync(T0, Ct);
        Assert.Equal(["forever", "today"], loaded.Select(l => l.Key.SubjectId).Order(StringComparer.Ordinal));
        Assert.Equal(long.MaxValue, Assert.Single(loaded, l => l.Key.SubjectId == "forever").WindowEndUs);
        Assert.Equal(AlertTime.ToUs(Day(T0).End!.Value), Assert.Single(loaded, l => l.Key.SubjectId == "today").WindowEndUs);
        Assert.Equal(Alert("today").Key, Assert.Single(loaded, l => l.Key.SubjectId == "today").Key);
    }
}
