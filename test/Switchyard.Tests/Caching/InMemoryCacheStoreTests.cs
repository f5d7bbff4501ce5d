using System.Text;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Caching;
using Xunit;

namespace Switchyard.Tests.Caching;

/// <summary>The in-process exact-cache store: the contract, and on its own: the store's and the groups' bounds, expiry, and who is told of a leaving entry.</summary>
public sealed class InMemoryCacheStoreTests : CacheStoreContract
{
    /// <summary>The memory an entry with a body of this size holds.</summary>
    private const int Small = 100;
    private const long SmallBytes = Small + CacheEntry.Overhead;

    private static readonly TimeSpan s_ttl = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<string> _removed = [];

    [Fact]
    public void A_groups_entry_bound_evicts_only_that_groups_least_recently_used_entry()
    {
        var store = Store(100, long.MaxValue, g => g == "small" ? (2, long.MaxValue) : (100, long.MaxValue));
        Assert.True(store.Set(Entry("a", "small")));
        Assert.True(store.Set(Entry("x", "big"))); // the oldest entry of the store after the hit on a below
        Assert.True(store.Set(Entry("b", "small")));
        Assert.NotNull(store.TryGet(Key("a", "small")));

        Assert.True(store.Set(Entry("c", "small")));

        Assert.Equal(["b"], _removed);
        Assert.Equal(1, store.Evictions);
        Assert.Equal(2, store.CountOf("small"));
        Assert.Equal(1, store.CountOf("big"));
        Assert.Equal(3, store.Count);
        Assert.Null(store.TryGet(Key("b", "small")));
        Assert.NotNull(store.TryGet(Key("a", "small")));
        Assert.NotNull(store.TryGet(Key("c", "small")));
        Assert.NotNull(store.TryGet(Key("x", "big")));
    }

    [Fact]
    public void A_groups_memory_bound_evicts_that_groups_least_recently_used_entries_until_the_new_one_fits()
    {
        var store = Store(100, long.MaxValue, g => g == "g" ? (100, 3 * SmallBytes) : (100, long.MaxValue));
        Assert.True(store.Set(Entry("old", "h")));
        Assert.True(store.Set(Entry("a", "g")));
        Assert.True(store.Set(Entry("b", "g")));
        Assert.True(store.Set(Entry("c", "g")));
        Assert.Equal(3 * SmallBytes, store.BytesOf("g"));

        // Twice a small entry: a alone does not make room, b must go too.
        Assert.True(store.Set(Entry("d", "g", body: 2 * Small + CacheEntry.Overhead)));

        Assert.Equal(["a", "b"], _removed);
        Assert.Equal(2, store.Evictions);
        Assert.Equal(2, store.CountOf("g"));
        Assert.Equal(3 * SmallBytes, store.BytesOf("g"));
        Assert.Equal(SmallBytes, store.BytesOf("h"));
        Assert.Equal(4 * SmallBytes, store.Bytes);
        Assert.NotNull(store.TryGet(Key("old", "h")));
        Assert.NotNull(store.TryGet(Key("c", "g")));
        Assert.NotNull(store.TryGet(Key("d", "g")));
    }

    [Fact]
    public void The_stores_entry_bound_evicts_the_least_recently_used_entry_of_all_groups()
    {
        var store = Store(3, long.MaxValue);
        Assert.True(store.Set(Entry("a", "g1")));
        Assert.True(store.Set(Entry("b", "g2")));
        Assert.True(store.Set(Entry("c", "g1")));
        Assert.NotNull(store.TryGet(Key("a", "g1"))); // a is now the most recently used

        Assert.True(store.Set(Entry("d", "g2")));
        Assert.Equal(["b"], _removed);

        Assert.True(store.Set(Entry("e", "g3")));
        Assert.Equal(["b", "c"], _removed);

        Assert.Equal(2, store.Evictions);
        Assert.Equal(3, store.Count);
        Assert.Equal(1, store.CountOf("g1"));
        Assert.Equal(1, store.CountOf("g2"));
        Assert.Equal(1, store.CountOf("g3"));
        Assert.NotNull(store.TryGet(Key("a", "g1")));
        Assert.NotNull(store.TryGet(Key("d", "g2")));
        Assert.NotNull(store.TryGet(Key("e", "g3")));
    }

    [Fact]
    public void The_stores_memory_bound_evicts_the_least_recently_used_entry_of_all_groups()
    {
        var store = Store(100, 3 * SmallBytes);
        Assert.True(store.Set(Entry("a", "g1")));
        Assert.True(store.Set(Entry("b", "g2")));
        Assert.True(store.Set(Entry("c", "g2")));
        Assert.NotNull(store.TryGet(Key("a", "g1")));

        Assert.True(store.Set(Entry("d", "g3")));

        Assert.Equal(["b"], _removed);
        Assert.Equal(1, store.Evictions);
        Assert.Equal(3 * SmallBytes, store.Bytes);
        Assert.Equal(SmallBytes, store.BytesOf("g2"));
        Assert.NotNull(store.TryGet(Key("a", "g1")));
        Assert.NotNull(store.TryGet(Key("c", "g2")));
    }

    [Fact]
    public void An_entry_larger_than_its_groups_or_the_stores_memory_bound_is_refused_and_the_old_one_kept()
    {
        var store = Store(100, 10 * SmallBytes, g => g == "tight" ? (100, 2 * SmallBytes) : (100, long.MaxValue));
        var kept = Entry("a", "tight");
        Assert.True(store.Set(kept));

        Assert.False(store.Set(Entry("a", "tight", body: (int)(2 * SmallBytes)))); // same key, too large for the group
        Assert.False(store.Set(Entry("huge", "loose", body: (int)(10 * SmallBytes)))); // too large for the store

        Assert.Empty(_removed);
        Assert.Equal(0, store.Evictions);
        Assert.Equal(1, store.Count);
        Assert.Equal(SmallBytes, store.Bytes);
        Assert.Equal(0, store.CountOf("loose"));
        Assert.Same(kept, store.TryGet(Key("a", "tight")));
        Assert.Null(store.TryGet(Key("huge", "loose")));
    }

    [Fact]
    public void The_removed_callback_hears_once_of_each_replaced_evicted_expired_or_invalidated_entry()
    {
        var gone = new List<CacheEntry>();
        var store = new InMemoryCacheStore(_time, 3, 100 * SmallBytes, removed: gone.Add);
        var first = Entry("a", "g");
        Assert.True(store.Set(first));
        var replacement = Entry("a", "g");
        Assert.True(store.Set(replacement));
        Assert.Equal([first], gone);

        var shortLived = Entry("short", "g", ttl: TimeSpan.FromSeconds(10));
        Assert.True(store.Set(shortLived));
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(store.TryGet(Key("short", "g")));
        Assert.Null(store.TryGet(Key("short", "g")));
        Assert.Equal([first, shortLived], gone);

        var doomed = Entry("doomed", "other");
        Assert.True(store.Set(doomed));
        Assert.Equal(1, store.Invalidate(e => e.ModelGroup == "other"));
        Assert.Equal([first, shortLived, doomed], gone);

        Assert.True(store.Set(Entry("b", "g")));
        Assert.True(store.Set(Entry("c", "g")));
        Assert.True(store.Set(Entry("d", "g"))); // a, the replacement, is the least recently used
        Assert.Equal([first, shortLived, doomed, replacement], gone);

        Assert.False(store.Set(Entry("refused", "g", body: (int)(100 * SmallBytes))));
        Assert.Equal(4, gone.Count);

        // Only the bound's work counts as an eviction, not the replacement, the expiry or the invalidation.
        Assert.Equal(1, store.Evictions);
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public void The_removed_callback_runs_with_the_stores_lock_released()
    {
        InMemoryCacheStore? store = null;
        var otherThreadGotIn = new List<bool>();
        store = new InMemoryCacheStore(_time, 1, long.MaxValue, removed: _ =>
        {
            // Lock is re-entrant, so ask from another thread: it blocks while the lock is held.
            var seen = -1;
            var other = new Thread(() => seen = store!.Count);
            other.Start();
            otherThreadGotIn.Add(other.Join(TimeSpan.FromSeconds(10)) && seen == 1);
        });

        Assert.True(store.Set(Entry("a", "g")));
        Assert.True(store.Set(Entry("b", "g")));

        Assert.Equal([true], otherThreadGotIn);
    }

    [Fact]
    public void Group_limits_are_asked_once_per_group_and_unknown_groups_hold_nothing()
    {
        var asked = new List<string>();
        var store = Store(100, long.MaxValue, g =>
        {
            asked.Add(g);
            return (1, long.MaxValue);
        });
        Assert.True(store.Set(Entry("a", "g1")));
        Assert.True(store.Set(Entry("b", "g1")));
        Assert.True(store.Set(Entry("c", "g2")));
        Assert.True(store.Set(Entry("d", "g1")));

        Assert.Equal(["g1", "g2"], asked);
        Assert.Equal(["a", "b"], _removed);
        Assert.Equal(1, store.CountOf("g1"));
        Assert.Equal(SmallBytes, store.BytesOf("g1"));
        Assert.Equal(0, store.CountOf("never"));
        Assert.Equal(0, store.BytesOf("never"));
    }

    private protected override ICacheStore CreateStore(TimeProvider time, int maxEntries, long maxBytes) => new InMemoryCacheStore(time, maxEntries, maxBytes);

    private InMemoryCacheStore Store(int maxEntries, long maxBytes, Func<string, (int MaxEntries, long MaxBytes)>? groupLimits = null) =>
        new(_time, maxEntries, maxBytes, groupLimits, e => _removed.Add(NameOf(e)));

    /// <summary>An entry whose body starts with its name, padded to <paramref name="body"/> bytes.</summary>
    private CacheEntry Entry(string name, string group, int body = Small, TimeSpan? ttl = null)
    {
        var now = _time.GetUtcNow();
        var bytes = new byte[body];
        bytes.AsSpan().Fill((byte)' ');
        Encoding.UTF8.GetBytes(name, bytes);
        return new CacheEntry
        {
            Key = Key(name, group),
            Space = "global",
            ModelGroup = group,
            Body = bytes,
            Created = now,
            Expires = now + (ttl ?? s_ttl),
        };
    }

    private static CacheKey Key(string name, string group) =>
        CacheKey.Compute("global", group, "chat", Encoding.UTF8.GetBytes($$"""{"name":"{{name}}"}""")) ?? throw new InvalidOperationException();

    private static string NameOf(CacheEntry entry) => Encoding.UTF8.GetString(entry.Body).TrimEnd(' ');
}
