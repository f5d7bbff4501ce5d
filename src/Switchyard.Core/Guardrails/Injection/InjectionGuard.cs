using Switchyard.Configuration;
using Switchyard.Embeddings;

namespace Switchyard.Guardrails.Injection;

/// <summary>
/// Scores the turn being asked now (the user's new words, and with <c>check_data</c> the tool results that
/// came with them) with <see cref="InjectionDetector"/>: heuristics over normalised text, and the
/// classifier over the last user turn's embedding, the one the semantic cache shares.
/// </summary>
/// <remarks>
/// A guard that may block or warn needs its verdict before the answer: it waits for the embedding within
/// the lookup budget, and scores with heuristics alone when the model is too busy (signal
/// <c>classifier_shed</c>). A guard that only flags does not hold the call for the model: the heuristics run
/// inline, and the classifier runs when the turn's embedding is ready, in the background, before the call
/// is recorded (<c>deferred</c> in the response header), or is skipped when the model's queue is long.
/// </remarks>
internal sealed class InjectionGuard(string name, GuardOptions options, InjectionDetector detector, EmbeddingBatcher embeddings, TimeSpan budget) : Guard(name, options)
{
    /// <summary>Texts waiting for the model beyond which a flag-only guard skips its classifier rather than add to the queue.</summary>
    public const int DeferLimit = 64;

    /// <summary>
    /// The most characters embedded for the classifier: about the model's 256-token window, so a huge text
    /// costs one window, not a tokenization of all of it. The heuristics read further (their own caps).
    /// </summary>
    public const int MaxEmbeddedChars = 1500;

    /// <summary>How long a flag-only classifier waits for another stage to embed the turn before it queues the run itself.</summary>
    private static readonly TimeSpan s_sharedWait = TimeSpan.FromSeconds(1);

    /// <summary>How long a check outside the request path waits for the model.</summary>
    private static readonly TimeSpan s_checkBudget = TimeSpan.FromSeconds(5);

    public double Threshold => Options.Threshold ?? InjectionDetector.DefaultThreshold;

    private bool CheckData => Options.CheckData ?? true;

    public override async ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var inline = run.WaitForModel || Options.Action is not GuardAction.Flag;
        double best = 0;
        for (var i = 0; i < run.Texts.Count; i++)
        {
            var text = run.Texts[i];
            if (!text.IsNew || !(text.Content == GuardContent.User || (text.Content == GuardContent.Data && CheckData)))
            {
                continue;
            }

            var content = text.Content == GuardContent.Data ? InjectionContent.Data : InjectionContent.UserTurn;
            float[]? vector = null;
            var shared = i == run.TurnIndex && run.Turn is { } own && own.Text.Length <= MaxEmbeddedChars ? own : null;
            if (run.WaitForModel)
            {
                var embedded = shared ?? new TurnEmbedding(text.Text.Length <= MaxEmbeddedChars ? text.Text : text.Text[..MaxEmbeddedChars]);
                vector = await embeddings.VectorOfAsync(embedded, s_checkBudget, cancellationToken).ConfigureAwait(false);
            }
            else if (shared is { } turn)
            {
                vector = turn.Vector;
                if (vector is null && inline)
                {
                    vector = await embeddings.VectorOfAsync(turn, budget, cancellationToken).ConfigureAwait(false);
                    if (vector is null)
                    {
                        verdict.Signals.Add("classifier_shed");
                    }
                }
                else if (vector is null)
                {
                    Defer(run, verdict, turn, text.Text, i);
                }
            }

            var score = detector.Score(text.Text, vector, content);
            Note(verdict, score, i, text.Text.Length);
            best = Math.Max(best, score.Score);
        }

        verdict.Score = best;
        verdict.Fired = best >= Threshold;
        verdict.Action = verdict.Fired ? Options.Action.ToString().ToLowerInvariant() : "none";
    }

    private void Note(GuardVerdict verdict, InjectionVerdict score, int index, int length)
    {
        foreach (var signal in score.Signals)
        {
            if (!verdict.Signals.Contains(signal))
            {
                verdict.Signals.Add(signal);
            }
        }

        if (score.Score >= Threshold && !verdict.Findings.Exists(f => f.Text == index))
        {
            verdict.Findings.Add(new GuardFinding("injection", index, 0, length, Options.Action));
        }
    }

    /// <summary>The classifier's half of a flag-only verdict, once the turn is embedded off the request path.</summary>
    private void Defer(GuardRun run, GuardVerdict verdict, TurnEmbedding turn, string text, int index)
    {
        verdict.Deferred = true;
        run.Report.Defer(FinishAsync);

        async Task FinishAsync()
        {
            try
            {
                float[] vector;
                try
                {
                    // The semantic indexer embeds a stored miss's turn anyway: wait for that run first.
                    vector = await turn.Embedded.WaitAsync(s_sharedWait, embeddings.Time).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    if (embeddings.InFlight > DeferLimit)
                    {
                        verdict.Signals.Add("classifier_skipped_busy");
                        return;
                    }

                    vector = await turn.VectorInBackgroundAsync(embeddings, CancellationToken.None).ConfigureAwait(false);
                }

                var score = detector.Score(text, vector, InjectionContent.UserTurn);
                lock (verdict)
                {
                    Note(verdict, score, index, text.Length);
                    verdict.Score = Math.Max(verdict.Score ?? 0, score.Score);
                    if (!verdict.Fired && verdict.Score >= Threshold)
                    {
                        verdict.Fired = true;
                        verdict.Action = Options.Action.ToString().ToLowerInvariant();
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                verdict.Signals.Add("classifier_failed");
            }
        }
    }
}
