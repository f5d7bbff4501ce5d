using Switchyard.Configuration;

namespace Switchyard.Guardrails.Toxicity;

/// <summary>Toxic language in the user's new words (on the way in) or in the answer (on the way out), by category.</summary>
internal sealed class ToxicityGuard(string name, GuardOptions options, ToxicityDetector detector) : Guard(name, options)
{
    public const double DefaultThreshold = 0.5;

    public override ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var threshold = Options.Threshold ?? DefaultThreshold;
        var categories = Options.Categories.Count > 0 ? Options.Categories : ToxicityCategories.All;
        double best = 0;
        for (var i = 0; i < run.Texts.Count; i++)
        {
            var text = run.Texts[i];
            if (!run.IsNewContent(text))
            {
                continue;
            }

            var report = detector.Analyze(text.Text);
            foreach (var category in categories)
            {
                var score = report.Scores.GetValueOrDefault(category);
                best = Math.Max(best, score);
                if (score < threshold)
                {
                    continue;
                }

                foreach (var match in report.Matches.Where(m => m.Category == category))
                {
                    verdict.Findings.Add(new GuardFinding(category, i, match.Start, match.Length, Options.Action));
                }
            }
        }

        verdict.Score = Math.Round(best, 4);
        verdict.Fired = best >= threshold;
        verdict.Action = verdict.Fired ? Options.Action.ToString().ToLowerInvariant() : "none";
        return ValueTask.CompletedTask;
    }
}
