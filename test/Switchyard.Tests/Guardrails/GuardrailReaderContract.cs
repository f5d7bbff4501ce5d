using Switchyard.Configuration;
using Switchyard.Guardrails;
using Switchyard.Identity;
using Switchyard.Recording;
using Xunit;
using static Switchyard.Tests.Tracing.TraceSeed;

namespace Switchyard.Tests.Guardrails;

/// <summary>
/// What every <see cref="IGuardrailReader"/> must do: triggers per guard over time, the keys and users that
/// trigger most, the latest blocked calls, a team-bound reach kept to its team. The calls are written through
/// the call store, so another store runs this unchanged.
/// </summary>
public abstract class GuardrailReaderContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal abstract IGuardrailReader CreateReader();

    /// <summary>The call store over the data of the last <see cref="CreateReader"/>.</summary>
    internal abstract ICallRecordStore Calls();

    private static CallRecord Guarded(int n, TimeSpan at, string key, string team, params (string Guard, bool Fired, string Action)[] verdicts)
    {
        var report = new GuardrailReport();
        foreach (var (guard, fired, action) in verdicts)
        {
            report.Add(new GuardVerdict(guard, GuardType.Pii, GuardDirection.Input) { Fired = fired, Action = action });
        }

        return Call(n, at, key: key, team: team) with { User = "u-" + key, Guardrails = report };
    }

    private async Task<IGuardrailReader> SeedAsync()
    {
        var reader = CreateReader();
        await WriteAsync(Calls(), Ct,
            Prepared(Guarded(1, TimeSpan.Zero, "k1", "t1", ("pii", true, "flag"), ("injection", false, "none"))),
            Prepared(Guarded(2, TimeSpan.FromSeconds(30), "k1", "t1", ("pii", true, "flag"), ("injection", true, "block"))),
            Prepared(Guarded(3, TimeSpan.FromMinutes(2), "k2", "t2", ("pii", false, "none"), ("injection", true, "block"))),
            Prepared(Call(4, TimeSpan.FromMinutes(3), key: "k3", team: "t2")),
            Prepared(Guarded(5, TimeSpan.FromHours(2), "k2", "t2", ("pii", true, "flag"))));
        return reader;
    }

    [Fact]
    public async Task Triggers_are_counted_per_guard_per_bucket()
    {
        var reader = await SeedAsync();

        var buckets = await reader.TriggersAsync(T0, T0.AddHours(1), TimeSpan.FromMinutes(1), Reach.Everything, Ct);

        Assert.Equal(
            [(T0, "injection", 2L, 1L, 1L), (T0, "pii", 2L, 2L, 0L), (T0.AddMinutes(2), "injection", 1L, 1L, 1L), (T0.AddMinutes(2), "pii", 1L, 0L, 0L)],
            buckets.Select(b => (b.Start, b.Guard, b.Checks, b.Fired, b.Blocked)));
    }

    [Fact]
    public async Task Top_keys_and_users_by_triggers()
    {
        var reader = await SeedAsync();

        var keys = await reader.TopAsync(T0, T0.AddDays(1), "key", 10, Reach.Everything, Ct);
        var users = await reader.TopAsync(T0, T0.AddDays(1), "user", 1, Reach.Everything, Ct);

        Assert.Equal([("k1", 3L, 2L), ("k2", 2L, 2L)], keys.Select(k => (k.Subject, k.Fired, k.Calls)));
        Assert.Equal(["u-k1"], users.Select(u => u.Subject));
    }

    [Fact]
    public async Task Blocked_calls_newest_first_within_the_window()
    {
        var reader = await SeedAsync();

        var blocked = await reader.BlockedAsync(T0, T0.AddHours(1), 10, Reach.Everything, Ct);

        Assert.Equal([TraceId(3), TraceId(2)], blocked.Select(b => b.TraceId));
        Assert.All(blocked, b => Assert.Equal("injection", b.Guard));
    }

    [Fact]
    public async Task A_team_sees_its_own_calls_only()
    {
        var reader = await SeedAsync();
        var team = new Reach("t2", null);

        var buckets = await reader.TriggersAsync(T0, T0.AddDays(1), TimeSpan.FromDays(1), team, Ct);
        var blocked = await reader.BlockedAsync(T0, T0.AddDays(1), 10, team, Ct);
        var keys = await reader.TopAsync(T0, T0.AddDays(1), "key", 10, team, Ct);

        Assert.Equal(2, buckets.Single(b => b.Guard == "pii").Checks);
        Assert.Equal([TraceId(3)], blocked.Select(b => b.TraceId));
        Assert.Equal(["k2"], keys.Select(k => k.Subject));
    }
}
