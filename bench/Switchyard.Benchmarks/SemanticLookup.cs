using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchyard.Caching;
using Switchyard.Caching.Semantic;
using Switchyard.Embeddings;

namespace Switchyard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Switchyard.Benchmarks -- semantic-lookup [ENTRIES] [OUT.md]</c>: the
/// semantic cache's lookup as a request pays for it — embed the last user turn with all-MiniLM-L6-v2, then
/// find its nearest neighbours in one scope holding ENTRIES vectors (default 100,000: the labelled set's
/// first texts, the rest random unit vectors) — timed per lookup for the labelled set's second texts, with
/// p50/p95/p99. Also: how often the sign-bit prefilter returns the same nearest entry as an exact float
/// scan (its recall), and the index's memory per entry.
/// </summary>
internal static class SemanticLookup
{
    public static void Run(int entries, string? output)
    {
        var root = SemanticQuality.FindRoot();
        var pairs = File.ReadLines(Path.Combine(root, "bench", "data", "semantic-pairs.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (A: e.GetProperty("a").GetString()!, B: e.GetProperty("b").GetString()!))
            .ToList();

        var embedder = MiniLmEmbedder.Shared;
        var stored = pairs.Select(p => embedder.Embed(p.A, CancellationToken.None)).ToList();
        var scope = CacheKey.Compute("scope", "gpt-4o", "ChatCompletions", "{}"u8)!.Value;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = new VectorIndex(embedder.Dimensions);
        var random = new Random(1);
        for (var i = 0; i < entries; i++)
        {
            var vector = i < stored.Count ? stored[i] : Unit(random, embedder.Dimensions);
            index.Add(scope, EntryKey(i), vector);
        }

        var bytesPerEntry = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)entries;

        // Warm up the model and the index, then time every second text of the labelled set.
        for (var i = 0; i < 20; i++)
        {
            index.Nearest(scope, embedder.Embed(pairs[i].B, CancellationToken.None), 0.85f, 4);
        }

        var count = new List<double>();
        var embed = new List<double>();
        var search = new List<double>();
        var total = new List<double>();
        var tokens = new List<int>();
        var agree = 0;
        var above = 0;
        var aboveFound = 0;
        for (var q = 0; q < pairs.Count; q++)
        {
            var start = Stopwatch.GetTimestamp();
            tokens.Add(embedder.CountTokens(pairs[q].B));
            var counted = Stopwatch.GetTimestamp();
            var vector = embedder.Embed(pairs[q].B, CancellationToken.None);
            var embedded = Stopwatch.GetTimestamp();
            var nearest = index.Nearest(scope, vector, -1, 1);
            var end = Stopwatch.GetTimestamp();
            count.Add(Stopwatch.GetElapsedTime(start, counted).TotalMilliseconds);
            embed.Add(Stopwatch.GetElapsedTime(counted, embedded).TotalMilliseconds);
            search.Add(Stopwatch.GetElapsedTime(embedded, end).TotalMilliseconds);
            total.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);

            // The exact answer among the real texts (the random vectors sit near 0 cosine from any text).
            var best = Enumerable.Range(0, stored.Count).MaxBy(i => Dot(stored[i], vector));
            var found = nearest is [var first, ..] && first.Entry == EntryKey(best);
            agree += found ? 1 : 0;
            if (Dot(stored[best], vector) >= 0.85f)
            {
                above++;
                aboveFound += found ? 1 : 0;
            }
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# Semantic lookup — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"{entries:N0} entries in one scope ({stored.Count} embedded texts, the rest random unit vectors); {pairs.Count} lookups, one at a time, of texts of {tokens.Min()}–{tokens.Max()} word pieces (median {Percentile(tokens.Select(t => (double)t).ToList(), 50):F0}).");
        report.AppendLine();
        report.AppendLine("| step | p50 ms | p95 ms | p99 ms | max ms |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (name, samples) in new[] { ("token count (window check)", count), ("embedding (all-MiniLM-L6-v2, ONNX Runtime, 2 threads)", embed), ("index: sign-bit prefilter + int8 rescoring", search), ("whole lookup", total) })
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Percentile(samples, 50):F2} | {Percentile(samples, 95):F2} | {Percentile(samples, 99):F2} | {samples.Max():F2} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Prefilter recall: the index's nearest entry is the exact float scan's nearest for {agree} of {pairs.Count} lookups ({agree * 100.0 / pairs.Count:F1} %); of the {above} lookups whose true nearest is at or above the 0.85 threshold (the ones that can hit), {aboveFound} ({aboveFound * 100.0 / Math.Max(1, above):F1} %).");
        report.AppendLine(CultureInfo.InvariantCulture, $"Index memory: {bytesPerEntry:F0} bytes per entry (384 int8 + 48 sign bytes + scale + key + slot).");
        Console.Write(report);
        if (output is not null)
        {
            File.WriteAllText(output, report.ToString());
        }
    }

    private static CacheKey EntryKey(int i) => CacheKey.Compute("v", i.ToString(CultureInfo.InvariantCulture), "x", "{}"u8)!.Value;

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
    }

    private static float Dot(float[] a, float[] b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static float[] Unit(Random random, int dimensions)
    {
        var v = new float[dimensions];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (random.NextSingle() * 2) - 1;
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }
}
