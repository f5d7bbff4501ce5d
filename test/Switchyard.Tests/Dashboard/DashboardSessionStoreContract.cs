using Switchyard.Dashboard.Sessions;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>What every <see cref="IDashboardSessionStore"/> must do; each implementation runs it by deriving from this class.</summary>
public abstract class DashboardSessionStoreContract
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal abstract IDashboardSessionStore CreateStore();

    [Fact]
    public async Task A_created_session_is_found_with_what_it_was_given()
    {
        var store = CreateStore();
        await store.CreateAsync(new DashboardSession("a1", "key_1", s_now, s_now, s_now.AddHours(8)), Ct);

        var found = await store.FindAsync("a1", Ct);

        Assert.Equal(new DashboardSession("a1", "key_1", s_now, s_now, s_now.AddHours(8)), found);
        Assert.Null(await store.FindAsync("a2", Ct));
    }

    [Fact]
    public async Task Touching_moves_last_seen_forward_only()
    {
        var store = CreateStore();
        await store.CreateAsync(new DashboardSession("b1", "admin", s_now, s_now, s_now.AddHours(8)), Ct);

        await store.TouchAsync("b1", s_now.AddMinutes(30), Ct);
        await store.TouchAsync("b1", s_now.AddMinutes(10), Ct);

        Assert.Equal(s_now.AddMinutes(30), (await store.FindAsync("b1", Ct))!.LastSeenAt);
    }

    [Fact]
    public async Task A_deleted_session_stays_gone_even_when_touched_afterwards()
    {
        var store = CreateStore();
        await store.CreateAsync(new DashboardSession("c1", "admin", s_now, s_now, s_now.AddHours(8)), Ct);

        await store.DeleteAsync("c1", Ct);
        await store.TouchAsync("c1", s_now.AddMinutes(1), Ct);

        Assert.Null(await store.FindAsync("c1", Ct));
    }

    [Fact]
    public async Task Purging_removes_sessions_past_their_lifetime_or_idle_and_keeps_the_rest()
    {
        var store = CreateStore();
        await store.CreateAsync(new DashboardSession("old", "k", s_now.AddHours(-9), s_now.AddMinutes(-5), s_now.AddHours(-1)), Ct);
        await store.CreateAsync(new DashboardSession("idle", "k", s_now.AddHours(-2), s_now.AddHours(-2), s_now.AddHours(6)), Ct);
        await store.CreateAsync(new DashboardSession("live", "k", s_now.AddHours(-2), s_now.AddMinutes(-5), s_now.AddHours(6)), Ct);

        var removed = await store.DeleteExpiredAsync(s_now, s_now.AddHours(-1), Ct);

        Assert.Equal(2, removed);
        Assert.Null(await store.FindAsync("old", Ct));
        Assert.Null(await store.FindAsync("idle", Ct));
        Assert.NotNull(await store.FindAsync("live", Ct));
    }
}
