using Switchyard.Configuration;
using Switchyard.Embeddings;

namespace Switchyard.Guardrails.Groundedness;

/// <summary>
/// When the request carries context (tool results, or documents between <c>context_start</c> and
/// <c>context_end</c> in a system or user turn), each answer sentence must be supported by it: its numbers
/// and names must appear there. The unsupported share is the score. Outside the request path (the check
/// API and CLI) the sentences are also compared with the context by MiniLM similarity.
/// </summary>
internal sealed class GroundednessGuard(string name, GuardOptions options, EmbeddingBatcher embeddings) : Guard(name, options)
{
    public const double DefaultThreshold = 0.5;

    public const string DefaultContextStart = "<context>";

    public const string DefaultContextEnd = "</context>";

    private readonly GroundednessChecker _facts = new();

    private readonly GroundednessChecker _withMeaning = new(async (texts, ct) =>
        await Task.WhenAll(texts.Select(t => embeddings.EmbedInBackgroundAsync(t, ct))).ConfigureAwait(false));

    public override async ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var contexts = Contexts(run);
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

    /// <summary>Tool results, and the delimited documents of system and user turns.</summary>
    private List<string> Contexts(GuardRun run)
    {
        var contexts = new List<string>();
        var start = Options.ContextStart ?? DefaultContextStart;
        var end = Options.ContextEnd ?? DefaultContextEnd;
        foreach (var text in run.TextsOfRequest())
        {
            if (text.Content == GuardContent.Data)
            {
                contexts.Add(text.Text);
                continue;
            }

            if (text.Content is not (GuardContent.Instruction or GuardContent.User))
            {
                continue;
            }

            var at = 0;
            while ((at = text.Text.IndexOf(start, at, StringComparison.Ordinal)) >= 0)
            {
                var from = at + start.Length;
                var to = text.Text.IndexOf(end, from, StringComparison.Ordinal);
                contexts.Add(to < 0 ? text.Text[from..] : text.Text[from..to]);
                if (to < 0)
                {
                    break;
                }

                at = to + end.Length;
            }
        }

        return contexts;
    }
}
