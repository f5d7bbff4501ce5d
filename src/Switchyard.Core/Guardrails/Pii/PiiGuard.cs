using System.Security.Cryptography;
using System.Text;
using Switchyard.Configuration;

namespace Switchyard.Guardrails.Pii;

/// <summary>
/// Finds personal data and secrets with <see cref="PiiDetector"/> and does, per entity type, what the
/// configuration says: block the call, rewrite the span (redact, mask, hash, pseudonymise) or record it.
/// </summary>
internal sealed class PiiGuard : Guard
{
    private readonly PiiDetector _detector;
    private readonly HashSet<string>? _types;
    private readonly byte[] _hashKey;

    public PiiGuard(string name, GuardOptions options, PiiDetector detector, byte[] hashKey)
        : base(name, options)
    {
        _detector = detector;
        _types = options.Entities.Count > 0 ? [.. options.Entities] : null;
        _hashKey = hashKey;
    }

    public override ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        for (var i = 0; i < run.Texts.Count; i++)
        {
            var text = run.Texts[i].Text;
            var entities = _detector.Find(text, _types);
            if (entities.Count == 0)
            {
                continue;
            }

            verdict.Fired = true;
            StringBuilder? rewritten = null;
            var copied = 0;
            foreach (var entity in entities)
            {
                var action = Options.EntityActions.TryGetValue(entity.Type, out var own) ? own : Options.Action;
                verdict.Findings.Add(new GuardFinding(entity.Type, i, entity.Start, entity.Length, action));
                if (Replacement(run, entity, text, action) is not { } replacement)
                {
                    continue;
                }

                rewritten ??= new StringBuilder(text.Length);
                rewritten.Append(text, copied, entity.Start - copied).Append(replacement);
                copied = entity.Start + entity.Length;
            }

            if (rewritten is not null)
            {
                rewritten.Append(text, copied, text.Length - copied);
                run.Replace(i, rewritten.ToString());
            }
        }

        verdict.Action = !verdict.Fired ? "none" : Strongest(verdict.Findings);
        return ValueTask.CompletedTask;
    }

    /// <summary>What the span becomes, or null when it stays (block, flag, warn).</summary>
    private string? Replacement(GuardRun run, PiiEntity entity, string text, GuardAction action)
    {
        var value = text.Substring(entity.Start, entity.Length);
        return action switch
        {
            GuardAction.Redact => "",
            GuardAction.Mask => $"[{entity.Type}]",
            GuardAction.Hash => $"[{entity.Type}:{Hash(value)}]",
            GuardAction.Pseudonymise => (run.Report.Pseudonyms ??= new Pseudonyms()).For(entity.Type, value),
            _ => null,
        };
    }

    /// <summary>A keyed hash: equal values hash alike within a process, and the value cannot be guessed back from a short list.</summary>
    private string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(value)).AsSpan(0, 6));

    /// <summary>The verdict's action: block wins, then rewrites, then warn, then flag.</summary>
    private static string Strongest(List<GuardFinding> findings)
    {
        var best = GuardAction.Flag;
        foreach (var finding in findings)
        {
            if (Rank(finding.Action) > Rank(best))
            {
                best = finding.Action;
            }
        }

        return best.ToString().ToLowerInvariant();

        static int Rank(GuardAction action) => action switch
        {
            GuardAction.Block => 4,
            GuardAction.Redact or GuardAction.Mask or GuardAction.Hash or GuardAction.Pseudonymise => 3,
            GuardAction.Warn => 2,
            _ => 1,
        };
    }
}
