using Microsoft.Extensions.Time.Testing;
using Switchyard.Caching.Semantic;
using Xunit;

namespace Switchyard.Tests.Caching;

/// <summary>The estimate the semantic lookup budget is checked against, timed by a fake clock.</summary>
public sealed class SemanticEmbeddingBacklogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_average_is_a_moving_average_of_durations_on_the_injected_clock()
    {
        var time = new FakeTimeProvider();
        var backlog = new EmbeddingBacklog(time);
        Assert.Equal(TimeSpan.Zero, backlog.Average);

        using var four = new GatedEmbedder(time, TimeSpan.FromMilliseconds(4));
        backlog.Embed(four, "first", Ct);
        Assert.Equal(TimeSpan.FromMilliseconds(4), backlog.Average);

        using var nine = new GatedEmbedder(time, TimeSpan.FromMilliseconds(9));
        backlog.Embed(nine, "second", Ct);
        Assert.Equal(5, backlog.Average.TotalMilliseconds, 6); // 0.2 × 9 + 0.8 × 4
        Assert.Equal(0, backlog.InFlight);
    }

    [Fact]
    public async Task A_lookup_runs_while_the_backlog_fits_the_budget_and_is_shed_beyond()
    {
        var time = new FakeTimeProvider();
        var backlog = new EmbeddingBacklog(time);
        using var free = new GatedEmbedder(time, TimeSpan.FromMilliseconds(4));
        using var held = new GatedEmbedder(time, TimeSpan.FromMilliseconds(4));
        backlog.Embed(free, "learn", Ct);

        held.Close();
        var first = Task.Run(() => backlog.Embed(held, "held one", Ct), Ct);
        await SemanticIndexingTests.WaitUntilAsync(() => backlog.InFlight == 1);

        // One ahead: 4 ms to wait, 4 ms to embed, within 10 ms.
        Assert.True(backlog.TryEmbed(free, "fits", TimeSpan.FromMilliseconds(10), Ct, out var vector));
        Assert.Equal(384, vector.Length);

        var second = Task.Run(() => backlog.Embed(held, "held two", Ct), Ct);
        await SemanticIndexingTests.WaitUntilAsync(() => backlog.InFlight == 2);

        // Two ahead: 12 ms, over 10 ms; nothing runs and the place is given back.
        var entered = free.Entered;
        Assert.False(backlog.TryEmbed(free, "shed", TimeSpan.FromMilliseconds(10), Ct, out _));
        Assert.Equal(entered, free.Entered);
        Assert.Equal(2, backlog.InFlight);

        held.Open();
        await Task.WhenAll(first, second);
        Assert.Equal(0, backlog.InFlight);
        Assert.True(backlog.TryEmbed(free, "free again", TimeSpan.Zero, Ct, out _)); // nothing ahead: never shed, whatever the budget
    }
}
