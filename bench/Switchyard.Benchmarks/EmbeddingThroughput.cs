using System.Diagnostics;
using System.Globalization;
using Switchyard.Caching.Semantic;
using Switchyard.Embeddings;

namespace Switchyard.Benchmarks;

/// <summary>
/// How many short texts a second all-MiniLM-L6-v2 embeds on this machine, by ONNX Runtime threads per run,
/// concurrent runs and texts per run, with the wall time of one run and the CPU per text: the figures the
/// embedding batcher's defaults (one worker, two inference threads, batches of up to 16) come from.
/// Run: <c>dotnet run -c Release --project bench/Switchyard.Benchmarks -- embedding-throughput [seconds]</c>.
/// </summary>
internal static class EmbeddingThroughput
{
    public static void Run(double seconds)
    {
        Console.WriteLine("| inference threads | concurrent runs | texts per run | texts/s | ms per run (mean) | CPU ms per text |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var threads in new[] { 1, 2 })
        {
            using var embedder = new MiniLmEmbedder(threads);
            embedder.Embed("warm up", CancellationToken.None);
            foreach (var runs in new[] { 1, 2 })
            {
                foreach (var batch in new[] { 1, 2, 4, 8, 16 })
                {
                    Measure(embedder, threads, runs, batch, seconds);
                }
            }
        }
    }

    private static void Measure(MiniLmEmbedder embedder, int threads, int runs, int batch, double seconds)
    {
        var texts = EmbeddingBatchBenchmarks.Texts[..batch];
        embedder.EmbedBatch(texts, CancellationToken.None);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        var done = new long[runs];
        var workers = Enumerable.Range(0, runs).Select(worker => new Thread(() =>
        {
            while (clock.Elapsed < deadline)
            {
                embedder.EmbedBatch(texts, CancellationToken.None);
                done[worker]++;
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        var wall = clock.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var totalRuns = done.Sum();
        var totalTexts = totalRuns * batch;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {threads} | {runs} | {batch} | {totalTexts / wall.TotalSeconds:F0} | {wall.TotalMilliseconds * runs / totalRuns:F2} | {cpu.TotalMilliseconds / totalTexts:F2} |"));
    }
}
