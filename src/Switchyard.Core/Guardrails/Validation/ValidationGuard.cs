using System.Text.Json;
using System.Text.RegularExpressions;
using Switchyard.Configuration;

namespace Switchyard.Guardrails.Validation;

/// <summary>
/// Rules about a request's shape and text: its size in tokens, the parameters it may set and their
/// ranges, and regex allow and deny lists over the user's new words (on the way out, over the answer).
/// </summary>
internal sealed class ValidationGuard : Guard
{
    private readonly Regex[] _allow;
    private readonly Regex[] _deny;

    public ValidationGuard(string name, GuardOptions options)
        : base(name, options)
    {
        _allow = [.. options.Allow.Select(p => GuardRegex.TryCreate(p, out _) ?? throw new InvalidOperationException("validated at start"))];
        _deny = [.. options.Deny.Select(p => GuardRegex.TryCreate(p, out _) ?? throw new InvalidOperationException("validated at start"))];
    }

    public override ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        if (run.Direction == GuardDirection.Input && run.Request.ValueKind == JsonValueKind.Object)
        {
            Parameters(run, verdict);
        }

        for (var i = 0; i < run.Texts.Count; i++)
        {
            var text = run.Texts[i];
            var checkedHere = run.Direction == GuardDirection.Output ? text.Content == GuardContent.Answer : text.IsNew && text.Content == GuardContent.User;
            if (!checkedHere)
            {
                continue;
            }

            for (var d = 0; d < _deny.Length; d++)
            {
                if (_deny[d].Match(text.Text) is { Success: true } match)
                {
                    verdict.Findings.Add(new GuardFinding($"deny[{d}]", i, match.Index, match.Length, Options.Action));
                }
            }

            if (_allow.Length > 0 && !_allow.Any(a => a.IsMatch(text.Text)))
            {
                verdict.Findings.Add(new GuardFinding("allow", i, 0, 0, Options.Action));
            }
        }

        verdict.Fired = verdict.Findings.Count > 0;
        verdict.Action = verdict.Fired ? Options.Action.ToString().ToLowerInvariant() : "none";
        return ValueTask.CompletedTask;
    }

    private void Parameters(GuardRun run, GuardVerdict verdict)
    {
        var root = run.Request;
        if (Options.MaxInputTokens is { } maxInput && run.Call is { } call
            && Accounting.PromptTokenEstimator.Estimate(call.Body.Span, call.Request.Model) is var tokens && tokens > maxInput)
        {
            verdict.Findings.Add(new GuardFinding("max_input_tokens", -1, 0, 0, Options.Action));
            verdict.Signals.Add($"input_tokens {tokens} > {maxInput}");
        }

        if (Options.MaxTokens is { } maxTokens)
        {
            foreach (var name in (ReadOnlySpan<string>)["max_tokens", "max_completion_tokens", "max_output_tokens"])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var asked) && asked > maxTokens)
                {
                    verdict.Findings.Add(new GuardFinding("max_tokens", -1, 0, 0, Options.Action));
                    verdict.Signals.Add($"{name} {asked} > {maxTokens}");
                }
            }
        }

        if ((Options.MinTemperature is not null || Options.MaxTemperature is not null)
            && root.TryGetProperty("temperature", out var temperature) && temperature.ValueKind == JsonValueKind.Number)
        {
            var t = temperature.GetDouble();
            if (t < (Options.MinTemperature ?? double.MinValue) || t > (Options.MaxTemperature ?? double.MaxValue))
            {
                verdict.Findings.Add(new GuardFinding("temperature", -1, 0, 0, Options.Action));
                verdict.Signals.Add($"temperature {t} outside [{Options.MinTemperature ?? 0}, {Options.MaxTemperature ?? 2}]");
            }
        }

        foreach (var denied in Options.DeniedParameters)
        {
            if (root.TryGetProperty(denied, out _))
            {
                verdict.Findings.Add(new GuardFinding("denied_parameter", -1, 0, 0, Options.Action));
                verdict.Signals.Add($"{denied} is not allowed");
            }
        }
    }
}
