using System.Text;
using Switchyard.Configuration;

namespace Switchyard.Guardrails.Leak;

/// <summary>An answer that repeats a long verbatim span of the request's system prompt, or a configured canary token.</summary>
internal sealed class LeakGuard(string name, GuardOptions options) : Guard(name, options)
{
    private readonly SystemPromptLeakDetector _detector = new(options.MinWords ?? SystemPromptLeakDetector.DefaultMinimumWords, options.Canaries);

    public override ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var system = SystemPrompt(run);
        double best = 0;
        for (var i = 0; i < run.Texts.Count; i++)
        {
            if (run.Texts[i].Content != GuardContent.Answer)
            {
                continue;
            }

            var report = _detector.Detect(system, run.Texts[i].Text);
            best = Math.Max(best, report.Score);
            foreach (var span in report.Spans)
            {
                verdict.Findings.Add(new GuardFinding(span.Kind == LeakKind.Canary ? "canary" : "system_prompt", i, span.Start, span.Length, Options.Action));
            }
        }

        verdict.Score = Math.Round(best, 4);
        verdict.Fired = verdict.Findings.Count > 0;
        verdict.Action = verdict.Fired ? Options.Action.ToString().ToLowerInvariant() : "none";
        return ValueTask.CompletedTask;
    }

    /// <summary>The request's instructions (system and developer messages, Anthropic's system, the Responses API's instructions), joined.</summary>
    private static string? SystemPrompt(GuardRun run)
    {
        var text = new StringBuilder();
        foreach (var instruction in run.TextsOfRequest().Where(t => t.Content == GuardContent.Instruction))
        {
            text.Append(instruction.Text).Append('\n');
        }

        return text.Length == 0 ? null : text.ToString();
    }
}
