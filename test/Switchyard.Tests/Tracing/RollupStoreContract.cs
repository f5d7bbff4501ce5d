using Switchyard.Accounting;
using Switchyard.Gateway;
using Switchyard.Recording;
using Switchyard.Tracing;
using Xunit;

namespace Switchyard.Tests.Tracing;

/// <summary>
/// What every <see cref="IRollupStore"/> must do: give back per-minute and per-hour totals of the calls
/// added, filtered by model group, key and team; lose nothing when several writers and compactions run
/// at once; and keep the totals through compaction. Each implementation runs it by deriving from this class.
/// </summary>
public abstract class RollupStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly long T0Us = T0.ToUnixTimeMilliseconds() * 1000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over fresh, empty data.</summary>
    internal abstract IRollupStore CreateStore();

    /// <summary>Another store instance over the data of the last <see cref="CreateStore"/>, as a second gateway would see it.</summary>
    internal abstract IRollupStore OpenAnother();

    private static CallRecord Call(DateTimeOffset start, string? group = "gpt", string? key = "k1", string? team = "t1", int status = 200, long cost = 1000) =>
        new(Guid.NewGuid().ToString("N"), "span", null, start, ClientApi.ChatCompletions, group, "d", "openai", "m", null, status, null, null, false,
            new TokenUsage(10, 5), true, "stop", TimeSpan.FromMilliseconds(200), null, key, null, [])
        { Team = team, CostNanoUsd = cost };

    private static MinuteStats Sum(IEnumerable<RollupRow> rows, long? startUs = null)
    {
        var sum = new MinuteStats();
        foreach (var row in rows.Where(r => startUs is null || r.StartUs == startUs))
        {
            sum.MergeSerialized(row.Stats);
        }

        return sum;
    }

    [Fact]
    public async Task Minutes_and_hours_hold_the_totals_of_the_calls_added()
    {
        var store = CreateStore();
        await store.AddAsync(
        [
            Call(T0.AddSeconds(5)),
            Call(T0.AddSeconds(50), status: 500),
            Call(T0.AddMinutes(1), group: "claude", key: "k2", team: null),
            Call(T0.AddHours(1), group: null, key: null, team: null, cost: 7),
        ], Ct);

        var minutes = await OpenAnother().ReadMinutesAsync(T0Us, T0Us + (2 * MinuteRollups.HourUs), null, Ct);
        var first = Sum(minutes, T0Us);
        Assert.Equal((2, 1, 20, 10, 2000), (first.Requests, first.Errors, first.Input, first.Output, first.CostNanoUsd));
        Assert.Equal(1, Sum(minutes, T0Us + MinuteRollups.MinuteUs).Requests);
        Assert.Equal(7, Sum(minutes, T0Us + MinuteRollups.HourUs).CostNanoUsd);
        Assert.Equal(4, Sum(minutes).Requests);

        Assert.Equal(2, Sum(await store.ReadMinutesAsync(T0Us, T0Us + MinuteRollups.HourUs, "gpt", Ct)).Requests);
        Assert.Equal(1, Sum(await store.ReadMinutesAsync(T0Us + MinuteRollups.MinuteUs, T0Us + MinuteRollups.HourUs, null, Ct)).Requests);
        Assert.Equal(1, Sum(await store.ReadMinutesAsync(T0Us, T0Us + (2 * MinuteRollups.HourUs), "", Ct)).Requests);

        var hours = await store.ReadHoursAsync(T0Us, T0Us + (2 * MinuteRollups.HourUs), null, null, null, Ct);
        Assert.Equal(3, Sum(hours, T0Us).Requests);
        Assert.Equal(1, Sum(hours, T0Us + MinuteRollups.HourUs).Requests);
        Assert.Equal(2, Sum(await store.ReadHoursAsync(T0Us, T0Us + MinuteRollups.HourUs, "gpt", "k1", "t1", Ct)).Requests);
        Assert.Equal(1, Sum(await store.ReadHoursAsync(T0Us, T0Us + MinuteRollups.HourUs, null, "k2", null, Ct)).Requests);
        Assert.Equal(1, Sum(await store.ReadHoursAsync(T0Us, T0Us + MinuteRollups.HourUs, null, null, "", Ct)).Requests);
        Assert.Equal(0, Sum(await store.ReadHoursAsync(T0Us, T0Us + MinuteRollups.HourUs, null, null, "nobody", Ct)).Requests);

        // A window starting inside a minute or hour includes the whole of it.
        Assert.Equal(2, Sum(await store.ReadMinutesAsync(T0Us + 30_000_000, T0Us + MinuteRollups.MinuteUs, null, Ct)).Requests);
        Assert.Equal(3, Sum(await store.ReadHoursAsync(T0Us + MinuteRollups.MinuteUs, T0Us + MinuteRollups.HourUs, null, null, null, Ct)).Requests);
    }

    [Fact]
    public async Task Two_writers_adding_to_the_same_minutes_lose_nothing()
    {
        CreateStore();
        var writers = new[] { OpenAnother(), OpenAnother() };
        await Task.WhenAll(writers.Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await writer.AddAsync([Call(T0.AddSeconds(i % 3)), Call(T0.AddMinutes(1))], Ct);
            }
        }, Ct)));

        var reader = OpenAnother();
        var minutes = await reader.ReadMinutesAsync(T0Us, T0Us + MinuteRollups.HourUs, null, Ct);
        Assert.Equal(80, Sum(minutes, T0Us).Requests);
        Assert.Equal(80, Sum(minutes, T0Us + MinuteRollups.MinuteUs).Requests);
        Assert.Equal(160_000, Sum(minutes).CostNanoUsd);
        Assert.Equal(160, Sum(await reader.ReadHoursAsync(T0Us, T0Us + MinuteRollups.HourUs, "gpt", "k1", "t1", Ct)).Requests);
    }

    [Fact]
    public async Task Compaction_folds_each_minute_into_one_row_and_keeps_the_totals()
    {
        var store = CreateStore();
        for (var i = 0; i < 5; i++)
        {
            await store.AddAsync([Call(T0), Call(T0.AddMinutes(1), key: "k2")], Ct);
        }

        Assert.True(await store.CompactAsync(Ct) > 0);
        var minutes = await store.ReadMinutesAsync(T0Us, T0Us + MinuteRollups.HourUs, null, Ct);
        Assert.Equal(2, minutes.Count);
        Assert.Equal(5, Sum(minutes, T0Us).Requests);
        Assert.Equal(5, Sum(minutes, T0Us + MinuteRollups.MinuteUs).Requests);
        var hours = await store.ReadHoursAsync(T0Us, T0Us + MinuteRollups.HourUs, null, null, null, Ct);
        Assert.Equal(2, hours.Count); // k1 and k2
        Assert.Equal(10, Sum(hours).Requests);

        Assert.Equal(0, await store.CompactAsync(Ct)); // Nothing left to fold.
        await store.AddAsync([Call(T0)], Ct);
        Assert.Equal(6, Sum(await store.ReadMinutesAsync(T0Us, T0Us + MinuteRollups.MinuteUs, null, Ct)).Requests);
    }

    [Fact]
    public async Task Compactions_running_beside_two_writers_lose_and_double_nothing()
    {
        CreateStore();
        var writers = new[] { OpenAnother(), OpenAnother() };
        using var done = new CancellationTokenSource();
        var compactions = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var compactor = OpenAnother();
            while (!done.IsCancellationRequested)
            {
                await compactor.CompactAsync(Ct);
            }
        }, Ct)).ToList();
        await Task.WhenAll(writers.Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await writer.AddAsync([Call(T0), Call(T0.AddMinutes(i % 2))], Ct);
            }
        }, Ct)));
        await done.CancelAsync();
        await Task.WhenAll(compactions);

        var reader = OpenAnother();
        await reader.CompactAsync(Ct);
        var minutes = await reader.ReadMinutesAsync(T0Us, T0Us + MinuteRollups.HourUs, null, Ct);
        Assert.Equal(2, minutes.Count);
        Assert.Equal(120, Sum(minutes, T0Us).Requests);
        Assert.Equal(40, Sum(minutes, T0Us + MinuteRollups.MinuteUs).Requests);
        Assert.Equal(160, Sum(await reader.ReadHoursAsync(T0Us, T0Us + MinuteRollups.HourUs, null, null, null, Ct)).Requests);
    }
}
