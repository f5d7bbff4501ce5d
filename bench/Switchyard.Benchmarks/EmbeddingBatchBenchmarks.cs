using BenchmarkDotNet.Attributes;
using Switchyard.Caching.Semantic;
using Switchyard.Embeddings;

namespace Switchyard.Benchmarks;

/// <summary>
/// Sixteen short user turns embedded with all-MiniLM-L6-v2, in ONNX Runtime runs of <see cref="BatchSize"/>
/// texts each; the baseline is one text per run, what every semantic lookup pays today. The ratio says
/// what a batching embedder saves per text, and so how large a collection window is worth (issue 16).
/// </summary>
[MemoryDiagnoser]
public class EmbeddingBatchBenchmarks
{
    /// <summary>Sixteen short user turns, also what <see cref="EmbeddingThroughput"/> embeds.</summary>
    internal static readonly string[] Texts =
    [
        "How do I reset my password?", "What is the capital of France?", "Summarise this article in three bullet points.",
        "Translate 'good morning' into Spanish.", "Write a haiku about autumn leaves.", "What is 17 times 23?",
        "Explain recursion to a five year old.", "Which is larger, a blue whale or an elephant?", "Give me a recipe for pancakes.",
        "How many days are in a leap year?", "What does HTTP 429 mean?", "Suggest a name for a grey cat.",
        "Convert 100 Fahrenheit to Celsius.", "Who wrote Pride and Prejudice?", "List three uses of baking soda.",
        "Why is the sky blue?",
    ];

    [Params(1, 4, 8, 16)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Load() => MiniLmEmbedder.Shared.Embed("warm up", CancellationToken.None);

    [Benchmark(Baseline = true)]
    public int SixteenTextsOneAtATime()
    {
        var total = 0;
        foreach (var text in Texts)
        {
            total += MiniLmEmbedder.Shared.Embed(text, CancellationToken.None).Length;
        }

        return total;
    }

    [Benchmark]
    public int SixteenTextsInBatches()
    {
        var total = 0;
        for (var start = 0; start < Texts.Length; start += BatchSize)
        {
            foreach (var vector in MiniLmEmbedder.Shared.EmbedBatch(Texts[start..Math.Min(Texts.Length, start + BatchSize)], CancellationToken.None))
            {
                total += vector.Length;
            }
        }

        return total;
    }
}
