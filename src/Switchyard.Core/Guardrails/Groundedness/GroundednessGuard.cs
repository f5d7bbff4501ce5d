using Switchyard.Configuration;
using Switchyard.Embeddings;

namespace Switchyard.Guardrails.Groundedness;

/// <summary>
/// When the request carries context (its <c>context</c> extension, tool results, or documents between <c>context_start</c> and
/// <c>context_end</c> in a system or user turn), each answer sentence must be supported by it: its numbers
/// and names must appear there. The unsupported share is the score. Outside the request path (the check
/// API and CLI) the sentences are also compared with the context by MiniLM similarity.
/// </summary>
internal sealed class GroundednessGuard(string name, GuardOptions options, EmbeddingBatcher embeddings) : Guard(name, options)
{
    public const double DefaultThreshold = 0.5;

    private readonly GroundednessChecker _facts = new();

    private readonly GroundednessChecker _withMeaning = new(async (texts, ct) =>
        await Task.WhenAll(texts.Select(t => embeddings.EmbedInBackgroundAsync(t, ct))).ConfigureAwait(false));

    public override async ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var contexts = GroundingContext.Of(run, Options);
        if (contexts.Count == 0)
        {
            verdict.Signals.Add("no_context");
            return;
        }

        var checker = run.WaitForModel ? _withMeaning : _facts;
        double worst = 0;
        for (var i = 0; i < run.Texts.Count; i++)
        {
            if (run.Texts[i].Content != GuardContent.Answer)
            {
                continue;
            }

            var report = await checker.CheckAsync(contexts, run.Texts[i].Text, cancellationToken).ConfigureAwait(false);
            worst = Math.Max(worst, report.UnsupportedShare);
            foreach (var sentence in report.Sentences.Where(s => !s.Supported))
            {
                verdict.Findings.Add(new GuardFinding("unsupported", i, sentence.Start, sentence.Length, Options.Action));
                foreach (var reason in sentence.Reasons.Take(2))
                {
                    if (verdict.Signals.Count < 10)
                    {
                        verdict.Signals.Add(reason);
                    }
                }
            }
        }

        verdict.Score = Math.Round(worst, 4);
        verdict.Fired = worst >= (Options.Threshold ?? DefaultThreshold);
        verdict.Action = verdict.Fired ? Options.Action.ToString().ToLowerInvariant() : "none";
    }
}
