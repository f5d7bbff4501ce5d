using Switchyard.Caching;

namespace Switchyard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Switchyard.Benchmarks -- cache-memory [N]</c>: the managed
/// memory the exact cache really holds per entry (heap after a full GC, before and after N entries with
/// a typical 700-byte chat completion), against the per-entry estimate its memory bound counts.
/// </summary>
internal static class CacheMemory
{
    public static void Measure(int count)
    {
        var time = TimeProvider.System;
        var store = new InMemoryCacheStore(time, count * 2, long.MaxValue);
        var bodies = Enumerable.Range(0, count).Select(i => new byte[700 + (i % 7)]).ToArray();
        var keys = Enumerable.Range(0, count).Select(i => CacheKey.Compute("key:k", "gpt-4o", "ChatCompletions", System.Text.Encoding.UTF8.GetBytes($$"""{"q":{{i}}}"""))!.Value).ToArray();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < count; i++)
        {
            store.Set(new CacheEntry { Key = keys[i], Space = "key:k", ModelGroup = "gpt-4o", Body = bodies[i], Created = time.GetUtcNow(), Expires = time.GetUtcNow().AddDays(1) });
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var bodyBytes = bodies.Sum(b => (long)b.Length);
        var perEntry = (after - before) / (double)count;
        Console.WriteLine($"{count} entries: {(after - before) / 1048576.0:F1} MB held beyond the bodies' arrays already allocated; bodies {bodyBytes / 1048576.0:F1} MB");
        Console.WriteLine($"per entry, excluding the body: {perEntry:F0} bytes (the memory bound counts {CacheEntry.Overhead}); store.Bytes = {store.Bytes / 1048576.0:F1} MB");
        GC.KeepAlive(store);
    }
}
