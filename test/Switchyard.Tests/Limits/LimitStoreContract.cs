using Switchyard.Limits;
using Xunit;

namespace Switchyard.Tests.Limits;

/// <summary>
/// What every <see cref="ILimitStore"/> must do: exact rate limits over rolling minutes, reservations
/// reconciled with real usage, budgets and their windows, all-or-nothing across levels. Each
/// implementation runs it by deriving from this class.
/// </summary>
public abstract class LimitStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    internal abstract ILimitStore CreateStore();

    private static LimitCheck Key(RateLimits limits, Budget? budget = null, DateTimeOffset? now = null) =>
        new("key:k", SubjectKind.Key, "k", limits, budget, budget is null ? default : BudgetWindow.Containing(budget.Window, now ?? T0, TimeZoneInfo.Utc));

    private static LimitRequest Request(DateTimeOffset now, long tokens = 0, long? cost = 0, params LimitCheck[] checks) =>
        new() { Checks = checks, EstimatedTokens = tokens, EstimatedCostNanoUsd = cost, Now = now };

    [Fact]
    public void Requests_per_minute_admits_exactly_the_limit_and_says_when_to_retry()
    {
        var store = CreateStore();
        var check = Key(new RateLimits(3, null, null));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(store.TryAcquire(Request(T0.AddMilliseconds(i * 100), checks: check), out _, out _));
        }

        Assert.False(store.TryAcquire(Request(T0.AddMilliseconds(500), checks: check), out _, out var rejection));
        Assert.Equal(LimitKind.Requests, rejection.Kind);
        Assert.Equal(3, rejection.Used);
        // Admitted during second 0, so counted until second 61 starts: 60.5 s from 0.5 s.
        Assert.Equal(60.5, rejection.RetryAfter!.Value.TotalSeconds, 3);
        Assert.False(store.TryAcquire(Request(T0.AddSeconds(60.9), checks: check), out _, out _));
        Assert.True(store.TryAcquire(Request(T0.AddSeconds(61), checks: check), out _, out _));
    }

    [Fact]
    public void No_rolling_minute_ever_holds_more_than_the_limit()
    {
        var store = CreateStore();
        var check = Key(new RateLimits(5, null, null));
        var admitted = new List<DateTimeOffset>();
        for (var ms = 0; ms < 300_000; ms += 250)
        {
            var now = T0.AddMilliseconds(ms);
            if (store.TryAcquire(Request(now, checks: check), out _, out _))
            {
                admitted.Add(now);
            }
        }

        foreach (var start in admitted)
        {
            Assert.True(admitted.Count(t => t >= start && t < start.AddSeconds(60)) <= 5);
        }

        Assert.True(admitted.Count >= 20); // Capacity comes back: not a limiter that only ever refuses.
    }

    [Fact]
    public void Tokens_are_reserved_from_the_estimate_and_reconciled_with_real_usage()
    {
        var store = CreateStore();
        var check = Key(new RateLimits(null, 1000, null));
        Assert.True(store.TryAcquire(Request(T0, 600, checks: check), out var first, out _));
        Assert.Equal(400, first!.Tokens!.Value.Remaining);
        Assert.False(store.TryAcquire(Request(T0, 600, checks: check), out _, out var rejection));
        Assert.Equal(LimitKind.Tokens, rejection.Kind);

        store.Settle(first, actualTokens: 100, actualCostNanoUsd: 0);
        Assert.True(store.TryAcquire(Request(T0, 600, checks: check), out var second, out _));
        Assert.Equal(300, second!.Tokens!.Value.Remaining);

        // Exactly at the limit is allowed; one more token is not (>= consistently).
        Assert.True(store.TryAcquire(Request(T0, 300, checks: check), out _, out _));
        Assert.False(store.TryAcquire(Request(T0, 1, checks: check), out _, out _));
        Assert.False(store.TryAcquire(Request(T0, 0, checks: check), out _, out _));
    }

    [Fact]
    public void A_request_larger_than_the_limit_is_refused_without_a_retry_time()
    {
        var store = CreateStore();
        Assert.False(store.TryAcquire(Request(T0, 5000, checks: Key(new RateLimits(null, 1000, null))), out _, out var rejection));
        Assert.Null(rejection.RetryAfter);
    }

    [Fact]
    public void Concurrency_slots_come_back_when_calls_settle()
    {
        var store = CreateStore();
        var check = Key(new RateLimits(null, null, 2));
        Assert.True(store.TryAcquire(Request(T0, checks: check), out var a, out _));
        Assert.True(store.TryAcquire(Request(T0, checks: check), out _, out _));
        Assert.False(store.TryAcquire(Request(T0, checks: check), out _, out var rejection));
        Assert.Equal(LimitKind.Concurrency, rejection.Kind);
        store.Settle(a!, 0, 0);
        store.Settle(a!, 0, 0); // Settling twice gives nothing back twice.
        Assert.True(store.TryAcquire(Request(T0, checks: check), out _, out _));
        Assert.False(store.TryAcquire(Request(T0, checks: check), out _, out _));
    }

    [Fact]
    public void A_hard_budget_counts_reservations_and_refuses_at_exactly_the_amount()
    {
        var store = CreateStore();
        var budget = new Budget(1000, BudgetWindowKind.Daily, BudgetMode.Hard, Budget.DefaultThresholds);
        var check = Key(RateLimits.None, budget);
        Assert.True(store.TryAcquire(Request(T0, cost: 600, checks: check), out var a, out _));
        Assert.False(store.TryAcquire(Request(T0, cost: 600, checks: check), out _, out var rejection)); // 600 reserved + 600 > 1000
        Assert.Equal(LimitKind.Budget, rejection.Kind);
        Assert.Equal(new BudgetUsage(0, 600), store.ReadBudget("key:k", check.Window));

        store.Settle(a!, 0, actualCostNanoUsd: 400);
        Assert.Equal(new BudgetUsage(400, 0), store.ReadBudget("key:k", check.Window));
        Assert.True(store.TryAcquire(Request(T0, cost: 600, checks: check), out var b, out _)); // 400 + 600 = 1000: allowed
        store.Settle(b!, 0, 600);
        Assert.False(store.TryAcquire(Request(T0, cost: 0, checks: check), out _, out rejection)); // spent == budget: refused even for free calls
        Assert.Equal(TimeSpan.FromHours(14), rejection.RetryAfter); // until local midnight
    }

    [Fact]
    public void A_failed_call_releases_its_reservation()
    {
        var store = CreateStore();
        var budget = new Budget(1000, BudgetWindowKind.Total, BudgetMode.Hard, Budget.DefaultThresholds);
        var check = Key(RateLimits.None, budget);
        Assert.True(store.TryAcquire(Request(T0, cost: 900, checks: check), out var a, out _));
        store.Settle(a!, 0, 0);
        Assert.Equal(new BudgetUsage(0, 0), store.ReadBudget("key:k", check.Window));
    }

    [Fact]
    public void Budgets_reset_when_the_window_turns()
    {
        var store = CreateStore();
        var budget = new Budget(1000, BudgetWindowKind.Daily, BudgetMode.Hard, Budget.DefaultThresholds);
        var today = Key(RateLimits.None, budget, T0);
        Assert.True(store.TryAcquire(Request(T0, cost: 1000, checks: today), out var a, out _));
        store.Settle(a!, 0, 1000);
        Assert.False(store.TryAcquire(Request(T0, cost: 1, checks: today), out _, out _));

        var tomorrow = T0.AddDays(1);
        Assert.True(store.TryAcquire(Request(tomorrow, cost: 1, checks: Key(RateLimits.None, budget, tomorrow)), out _, out _));
    }

    [Fact]
    public void Soft_budgets_never_refuse_but_report_spend_for_alerts()
    {
        var store = CreateStore();
        var budget = new Budget(1000, BudgetWindowKind.Monthly, BudgetMode.Soft, Budget.DefaultThresholds);
        var check = Key(RateLimits.None, budget);
        var settled = new List<SettledBudget>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(store.TryAcquire(Request(T0, cost: 800, checks: check), out var ticket, out _));
            store.Settle(ticket!, 0, 800, settled.Add);
        }

        Assert.Equal([800L, 1600, 2400], settled.Select(s => s.SpentNanoUsd));
    }

    [Fact]
    public void A_refusal_at_one_level_reserves_nothing_at_the_others()
    {
        var store = CreateStore();
        var key = new LimitCheck("key:k", SubjectKind.Key, "k", new RateLimits(100, 10_000, 10), null, default);
        var team = new LimitCheck("team:t", SubjectKind.Team, "t", new RateLimits(1, null, null), null, default);
        Assert.True(store.TryAcquire(Request(T0, 100, checks: [key, team]), out var first, out _));
        Assert.False(store.TryAcquire(Request(T0, 100, checks: [key, team]), out _, out var rejection));
        Assert.Equal("team:t", rejection.Check.StateKey);
        Assert.Equal(new RateLimitStatus(1, 0, first!.Requests!.Value.Reset), first.Requests);

        // The key saw one request and 100 tokens, not two and 200.
        Assert.True(store.TryAcquire(Request(T0, 100, checks: key), out var third, out _));
        Assert.Equal(98, third!.Requests!.Value.Remaining);
        Assert.Equal(9_800, third.Tokens!.Value.Remaining);
    }

    [Fact]
    public void Headers_report_the_tightest_level()
    {
        var store = CreateStore();
        var key = new LimitCheck("key:k", SubjectKind.Key, "k", new RateLimits(100, null, null), null, default);
        var team = new LimitCheck("team:t", SubjectKind.Team, "t", new RateLimits(10, null, null), null, default);
        Assert.True(store.TryAcquire(Request(T0, checks: [key, team]), out var ticket, out _));
        Assert.Equal(new RateLimitStatus(10, 9, ticket!.Requests!.Value.Reset), ticket.Requests);
    }

    [Fact]
    public void Parallel_acquires_never_exceed_the_limit()
    {
        var store = CreateStore();
        var check = Key(new RateLimits(null, 10_000, null));
        var admitted = 0L;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (store.TryAcquire(Request(T0, 37, checks: check), out _, out _))
            {
                Interlocked.Add(ref admitted, 37);
            }
        });

        Assert.Equal(10_000 / 37 * 37, admitted);
    }
}
