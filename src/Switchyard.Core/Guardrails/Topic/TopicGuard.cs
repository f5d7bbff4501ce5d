using Switchyard.Configuration;
using Switchyard.Embeddings;

namespace Switchyard.Guardrails.Topic;

/// <summary>
/// A banned topic, given as example texts: the last user turn fires the guard when its embedding (the one
/// the semantic cache shares) is as similar as the threshold to an example's. The examples are embedded
/// once, in the background, when the guard first runs.
/// </summary>
internal sealed class TopicGuard(string name, GuardOptions options, EmbeddingBatcher embeddings, TimeSpan budget) : Guard(name, options)
{
    /// <summary>MiniLM cosine similarity at which two short texts are usually about the same thing.</summary>
    public const double DefaultThreshold = 0.6;

    private readonly Lock _lock = new();
    private Task<float[][]>? _examples;

    public double Threshold => Options.Threshold ?? DefaultThreshold;

    public override async ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        if (run.Turn is not { } turn)
        {
            verdict.Signals.Add("no_user_turn");
            return;
        }

        var examples = await ExamplesAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var vector = await embeddings.VectorOfAsync(turn, budget, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException("The embedding model is busy beyond the lookup budget.");
        double best = 0;
        var nearest = -1;
        for (var e = 0; e < examples.Length; e++)
        {
            var similarity = Dot(vector, examples[e]);
            if (similarity > best)
            {
                (best, nearest) = (similarity, e);
            }
        }

        verdict.Score = Math.Round(best, 4);
        verdict.Fired = best >= Threshold;
        verdict.Action = verdict.Fired ? Options.Action.ToString().ToLowerInvariant() : "none";
        if (verdict.Fired)
        {
            verdict.Findings.Add(new GuardFinding($"example[{nearest}]", run.TurnIndex, 0, turn.Text.Length, Options.Action));
        }
    }

    /// <summary>Both vectors are unit length, so their dot product is their cosine similarity.</summary>
    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length && i < b.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private Task<float[][]> ExamplesAsync()
    {
        lock (_lock)
        {
            return _examples ??= Task.WhenAll(Options.Examples.Select(e => embeddings.EmbedInBackgroundAsync(e, CancellationToken.None)));
        }
    }
}
