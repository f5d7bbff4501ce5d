using Microsoft.Extensions.Time.Testing;
using Switchyard.Embeddings;
using Switchyard.Tests.Caching;
using Xunit;

namespace Switchyard.Tests.Embeddings;

/// <summary>
/// The embedding worker: texts that wait while a run is under way go in the next run together, lookups
/// before background texts, the budget estimate on a fake clock, and the worker's lowered priority.
/// </summary>
public sealed class EmbeddingBatcherTests
{
    private static readonly TimeSpan s_ample = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lookups_that_wait_while_a_run_is_under_way_share_the_next_run_and_get_their_own_vectors()
    {
        using var embedder = new GatedEmbedder();
        using var batcher = new EmbeddingBatcher(embedder, TimeProvider.System);
        embedder.Close();
        var held = batcher.EmbedInBackgroundAsync("held", Ct);
        await SemanticIndexingTests.WaitUntilAsync(() => embedder.Entered == 1);

        string[] texts = ["How do I reset my password?", "What is the capital of France?", "Why is the sky blue?"];
        var vectors = texts.Select(text => Queue(batcher, text, s_ample, Ct)!).ToList();
        Assert.Equal(4, batcher.InFlight);

        embedder.Open();
        var results = await Task.WhenAll(vectors);
        await held;

        Assert.Equal([["held"], texts], embedder.Batches);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = MiniLmEmbedder.Shared.Embed(texts[i], Ct);
            Assert.True(Dot(alone, results[i]) > 0.9999f, $"text {i}: a batched vector differs from the text's own");
        }

        Assert.Equal((2, 4), batcher.Totals);
        Assert.Equal(0, batcher.InFlight);
    }

    [Fact]
    public async Task A_waiting_lookup_goes_before_background_texts()
    {
        using var embedder = new GatedEmbedder();
        using var batcher = new EmbeddingBatcher(embedder, TimeProvider.System);
        embedder.Close();
        var held = batcher.EmbedInBackgroundAsync("held", Ct);
        await SemanticIndexingTests.WaitUntilAsync(() => embedder.Entered == 1);

        var background = new[] { batcher.EmbedInBackgroundAsync("first answer", Ct), batcher.EmbedInBackgroundAsync("second answer", Ct), batcher.EmbedInBackgroundAsync("third answer", Ct) };
        var lookup = Queue(batcher, "a caller waits for this", s_ample, Ct);
        embedder.Open();
        await Task.WhenAll([held, lookup!, .. background]);

        // The lookup first, on its own; then background texts, at most two a run.
        Assert.Equal([["held"], ["a caller waits for this"], ["first answer", "second answer"], ["third answer"]], embedder.Batches);
    }

    [Fact]
    public async Task A_lookup_is_queued_while_the_texts_ahead_fit_the_budget_and_shed_beyond()
    {
        var time = new FakeTimeProvider();
        using var embedder = new GatedEmbedder(time, TimeSpan.FromMilliseconds(4));
        using var batcher = new EmbeddingBatcher(embedder, time);
        await batcher.EmbedInBackgroundAsync("learn", Ct);
        Assert.Equal(TimeSpan.FromMilliseconds(4), batcher.PerText);

        embedder.Close();
        var held = batcher.EmbedInBackgroundAsync("held", Ct);
        await SemanticIndexingTests.WaitUntilAsync(() => embedder.Entered == 2);

        // One ahead (running): 4 ms for it and 4 for this one, within 10 ms.
        var fits = Queue(batcher, "fits", TimeSpan.FromMilliseconds(10), Ct);
        Assert.NotNull(fits);

        // Two ahead (one running, one waiting): 12 ms, over 10 ms; nothing is queued.
        Assert.Null(Queue(batcher, "shed", TimeSpan.FromMilliseconds(10), Ct));
        Assert.Equal(2, batcher.InFlight);

        embedder.Open();
        await Task.WhenAll(held, fits!);
        Assert.DoesNotContain(embedder.Batches, batch => batch.Contains("shed"));

        // Nothing ahead: never shed, whatever the budget.
        Assert.NotNull(Queue(batcher, "free again", TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task The_estimate_adds_run_times_by_batch_size_not_texts_times_a_time_per_text()
    {
        // A run costs 2 ms plus 1.5 ms a text, as short texts roughly do: 3.5 ms alone, 8 ms in fours.
        var time = new FakeTimeProvider();
        using var embedder = new GatedEmbedder(time, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(1.5));
        using var batcher = new EmbeddingBatcher(embedder, time);
        embedder.Close();
        var first = batcher.EmbedInBackgroundAsync("alone", Ct);
        await SemanticIndexingTests.WaitUntilAsync(() => embedder.Entered == 1);
        var four = Enumerable.Range(0, 4).Select(i => Queue(batcher, "text " + i, s_ample, Ct)!).ToList();
        embedder.Open();
        await Task.WhenAll([first, .. four]);
        Assert.Equal(3.2, batcher.PerText.TotalMilliseconds, 6); // 0.2 × 2 + 0.8 × 3.5

        // A run of one under way, four lookups waiting: the rest of that run (3.5 ms) and a run of five
        // (8 ms for four, scaled: 10 ms) is 13.5 ms; six texts at 3.2 ms would have been 19.2 ms.
        embedder.Close();
        var held = batcher.EmbedInBackgroundAsync("held", Ct);
        await SemanticIndexingTests.WaitUntilAsync(() => embedder.Entered == 6);
        var waiting = Enumerable.Range(0, 4).Select(i => Queue(batcher, "waiting " + i, s_ample, Ct)!).ToList();
        Assert.Null(Queue(batcher, "over", TimeSpan.FromMilliseconds(13), Ct));
        var fits = Queue(batcher, "fits", TimeSpan.FromMilliseconds(14), Ct);
        Assert.NotNull(fits);
        embedder.Open();
        await Task.WhenAll([held, fits!, .. waiting]);
    }

    [Fact]
    public async Task The_time_per_text_is_a_moving_average_of_runs_divided_by_their_texts()
    {
        var time = new FakeTimeProvider();
        using var embedder = new GatedEmbedder(time, TimeSpan.FromMilliseconds(8));
        using var batcher = new EmbeddingBatcher(embedder, time);
        await batcher.EmbedInBackgroundAsync("one", Ct);
        Assert.Equal(8, batcher.PerText.TotalMilliseconds, 6);

        embedder.Close();
        var held = batcher.EmbedInBackgroundAsync("held", Ct);
        await SemanticIndexingTests.WaitUntilAsync(() => embedder.Entered == 2);
        var four = Enumerable.Range(0, 4).Select(i => Queue(batcher, "text " + i, s_ample, Ct)!).ToList();
        embedder.Open();
        await Task.WhenAll([held, .. four]);

        // 8 ms alone, then 8 ms for four texts (2 each): 0.2 × 2 + 0.8 × 8.
        Assert.Equal(6.8, batcher.PerText.TotalMilliseconds, 6);
    }

    [Fact]
    public async Task A_lookup_whose_caller_gives_up_while_waiting_is_cancelled_at_once_and_left_out()
    {
        using var embedder = new GatedEmbedder();
        using var batcher = new EmbeddingBatcher(embedder, TimeProvider.System);
        embedder.Close();
        var held = batcher.EmbedInBackgroundAsync("held", Ct);
        await SemanticIndexingTests.WaitUntilAsync(() => embedder.Entered == 1);

        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var abandoned = Queue(batcher, "abandoned", s_ample, caller.Token)!;
        var kept = Queue(batcher, "kept", s_ample, Ct)!;
        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        embedder.Open();
        await Task.WhenAll(held, kept);
        Assert.Equal([["held"], ["kept"]], embedder.Batches);
    }

    [Fact]
    public async Task A_failing_run_fails_every_text_in_it_and_the_worker_goes_on()
    {
        using var batcher = new EmbeddingBatcher(new FailingOnce(), TimeProvider.System);
        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.EmbedInBackgroundAsync("fails", Ct));
        Assert.Equal(384, (await batcher.EmbedInBackgroundAsync("works", Ct)).Length);
        Assert.Equal(0, batcher.InFlight);
    }

    [Fact]
    public async Task The_worker_runs_at_background_priority()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "nice values are Linux's");
        using var embedder = new GatedEmbedder();
        using var batcher = new EmbeddingBatcher(embedder, TimeProvider.System);
        await batcher.EmbedInBackgroundAsync("start the worker", Ct);

        // Thread names reach the kernel cut to 15 bytes; field 19 of a thread's stat is its nice value.
        // Other tests' workers may be alive too: every one must be at background priority.
        var workers = Directory.GetDirectories("/proc/self/task").Where(task => File.ReadAllText(Path.Combine(task, "comm")).StartsWith("Switchyard embe", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(workers);
        foreach (var worker in workers)
        {
            var stat = File.ReadAllText(Path.Combine(worker, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            Assert.Equal(EmbeddingBatcher.DefaultNiceness, int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Queues a lookup; null when it was shed.</summary>
    private static Task<float[]>? Queue(EmbeddingBatcher batcher, string text, TimeSpan budget, CancellationToken cancellationToken) =>
        batcher.TryEmbed(text, budget, cancellationToken, out var vector) ? vector : null;

    private static float Dot(float[] a, float[] b) => a.Zip(b).Sum(pair => pair.First * pair.Second);

    private sealed class FailingOnce : ITextEmbedder
    {
        private int _runs;

        public int Dimensions => 384;

        public int WindowTokens => 256;

        public int CountTokens(string text) => text.Length / 4;

        public float[] Embed(string text, CancellationToken cancellationToken) => EmbedBatch([text], cancellationToken)[0];

        public float[][] EmbedBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _runs) == 1 ? throw new InvalidOperationException("the first run fails") : MiniLmEmbedder.Shared.EmbedBatch(texts, cancellationToken);
    }
}
