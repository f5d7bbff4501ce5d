using System.Diagnostics.Metrics;

namespace Switchyard.Guardrails;

/// <summary><c>switchyard_guardrail_checks_total{guard,direction,verdict,action}</c> and the checks' latency.</summary>
internal sealed class GuardrailMetrics
{
    private readonly Counter<long> _checks;
    private readonly Histogram<double> _duration;

    public GuardrailMetrics(Meter meter)
    {
        _checks = meter.CreateCounter<long>("switchyard.guardrail.checks", "{check}", "Guard checks, by guard, direction (input, output), verdict (pass, fired, error) and action taken.");
        _duration = meter.CreateHistogram("switchyard.guardrail.duration", "s", "Time a guard took on the request path (deferred classifier work excluded).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5] });
    }

    /// <summary>Counts a finished verdict (deferred ones once their background part ended).</summary>
    public void Count(GuardVerdict verdict)
    {
        var direction = verdict.Direction == GuardDirection.Input ? "input" : "output";
        if (_checks.Enabled)
        {
            _checks.Add(1, new("guard", verdict.Guard), new("direction", direction), new("verdict", verdict.Error is not null ? "error" : verdict.Fired ? "fired" : "pass"), new KeyValuePair<string, object?>("action", verdict.Action));
        }

        if (_duration.Enabled)
        {
            _duration.Record(verdict.Latency.TotalSeconds, new("guard", verdict.Guard), new KeyValuePair<string, object?>("direction", direction));
        }
    }
}
