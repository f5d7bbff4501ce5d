using System.Text;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Caching;
using Xunit;

namespace Switchyard.Tests.Caching;

/// <summary>
/// What every exact-cache store does, whatever keeps the answers: the in-process store now, a shared
/// one (Redis) in cluster mode. A store's test class derives from this and says how to make one.
/// </summary>
public abstract class CacheStoreContract
{
    private static readonly DateTimeOffset s_start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fresh, empty store on <paramref name="time"/>'s clock, holding at most these many entries and bytes.</summary>
    private protected abstract ICacheStore CreateStore(TimeProvider time, int maxEntries, long maxBytes);

    [Fact]
    public async Task A_stored_answer_is_returned_whole_until_it_expires()
    {
        var time = new FakeTimeProvider(s_start);
        var store = CreateStore(time, 100, 1 << 20);
        var entry = Answer(time, "paris", "g", TimeSpan.FromMinutes(5), cost: 1234);

        Assert.Null(await store.GetAsync(entry.Key, Ct));
        Assert.True(await store.SetAsync(entry, Ct));

        var found = await store.GetAsync(entry.Key, Ct);
        Assert.NotNull(found);
        Assert.Equal(entry.Body, found.Body);
        Assert.Equal((entry.Space, entry.ModelGroup, entry.InputTokens, entry.OutputTokens, entry.CostNanoUsd, entry.Expires), (found.Space, found.ModelGroup, found.InputTokens, found.OutputTokens, found.CostNanoUsd, found.Expires));

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(await store.GetAsync(entry.Key, Ct));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Storing_the_same_key_again_replaces_the_answer()
    {
        var time = new FakeTimeProvider(s_start);
        var store = CreateStore(time, 100, 1 << 20);
        var first = Answer(time, "paris", "g", TimeSpan.FromMinutes(5));
        var second = Answer(time, "paris", "g", TimeSpan.FromMinutes(5), body: "paris, again");

        await store.SetAsync(first, Ct);
        await store.SetAsync(second, Ct);

        Assert.Equal(second.Body, (await store.GetAsync(first.Key, Ct))!.Body);
        Assert.Equal(1, store.Count);
        Assert.Equal(1, store.CountOf("g"));
    }

    [Fact]
    public async Task Invalidation_removes_exactly_the_matching_answers()
    {
        var time = new FakeTimeProvider(s_start);
        var store = CreateStore(time, 100, 1 << 20);
        var a = Answer(time, "a", "g1", TimeSpan.FromHours(1));
        var b = Answer(time, "b", "g1", TimeSpan.FromHours(1));
        var c = Answer(time, "c", "g2", TimeSpan.FromHours(1));
        foreach (var entry in new[] { a, b, c })
        {
            await store.SetAsync(entry, Ct);
        }

        Assert.Equal(2, await store.InvalidateAsync(e => e.ModelGroup == "g1", Ct));

        Assert.Null(await store.GetAsync(a.Key, Ct));
        Assert.Null(await store.GetAsync(b.Key, Ct));
        Assert.NotNull(await store.GetAsync(c.Key, Ct));
        Assert.Equal(0, await store.InvalidateAsync(e => e.ModelGroup == "g1", Ct));
        Assert.Equal(1, await store.InvalidateAsync(_ => true, Ct));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task The_figures_count_entries_and_memory_per_group()
    {
        var time = new FakeTimeProvider(s_start);
        var store = CreateStore(time, 100, 1 << 20);
        var a = Answer(time, "a", "g1", TimeSpan.FromHours(1));
        var b = Answer(time, "b", "g2", TimeSpan.FromHours(1));
        await store.SetAsync(a, Ct);
        await store.SetAsync(b, Ct);

        Assert.Equal(2, store.Count);
        Assert.Equal(a.Bytes + b.Bytes, store.Bytes);
        Assert.Equal(a.Bytes, store.BytesOf("g1"));
        Assert.Equal(0, store.CountOf("none"));
        Assert.Equal(["g1", "g2"], store.Groups().Where(g => g.Entries > 0).Select(g => g.Group).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_answer_larger_than_the_store_is_refused_and_bounds_hold()
    {
        var time = new FakeTimeProvider(s_start);
        var store = CreateStore(time, 2, 4096);
        var huge = Answer(time, "huge", "g", TimeSpan.FromHours(1), body: new string('x', 8192));

        Assert.False(await store.SetAsync(huge, Ct));
        Assert.Null(await store.GetAsync(huge.Key, Ct));

        foreach (var name in new[] { "a", "b", "c" })
        {
            Assert.True(await store.SetAsync(Answer(time, name, "g", TimeSpan.FromHours(1)), Ct));
        }

        Assert.True(store.Count <= 2);
        Assert.True(store.Bytes <= 4096);
        Assert.True(store.Evictions >= 1);
    }

    private static CacheEntry Answer(TimeProvider time, string name, string group, TimeSpan ttl, long? cost = null, string? body = null)
    {
        var now = time.GetUtcNow();
        return new CacheEntry
        {
            Key = CacheKey.Compute("global", group, "chat", Encoding.UTF8.GetBytes($$"""{"name":"{{name}}"}""")) ?? throw new InvalidOperationException(),
            Space = "global",
            ModelGroup = group,
            Body = Encoding.UTF8.GetBytes($$"""{"answer":"{{body ?? name}}"}"""),
            InputTokens = 12,
            OutputTokens = 3,
            CostNanoUsd = cost,
            Created = now,
            Expires = now + ttl,
        };
    }
}
