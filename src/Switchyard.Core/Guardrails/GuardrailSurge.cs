namespace Switchyard.Guardrails;

/// <summary>A guard firing far above its usual rate: its triggers in the window, its usual count per window, and when.</summary>
internal sealed record GuardrailSurge(string Guard, long Triggers, double Baseline, TimeSpan Window, DateTimeOffset At)
{
    /// <summary>The seed's incident line, with the figures: what a person reading the alert does next.</summary>
    public string Text => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"Switchyard: guardrail '{Guard}' fired {Triggers} times in the last {Window.TotalMinutes:0} minutes, against {Baseline:0.#} usually: possible attack, review the blocked calls and the keys that trigger most on /ui/guardrails.");
}
