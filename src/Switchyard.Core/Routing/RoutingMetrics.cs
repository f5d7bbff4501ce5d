using System.Diagnostics.Metrics;

namespace Switchyard.Routing;

/// <summary>
/// Counters of what routing did: attempts by outcome, retries, fallbacks, breaker transitions and the
/// retry budget, plus each deployment's breaker state and calls in flight as gauges. Instruments live
/// on the gateway's meter, so <c>/metrics</c> and OTLP export carry them.
/// </summary>
internal sealed class RoutingMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _budgetRefusals;

    private readonly Meter _meter;

    public RoutingMetrics(Meter meter)
    {
        _meter = meter;
        _attempts = meter.CreateCounter<long>("switchyard.routing.attempts", "{attempt}", "Upstream attempts, by deployment and outcome (ok, or the failure reason).");
        _retries = meter.CreateCounter<long>("switchyard.routing.retries", "{retry}", "Retries within a model group, by group and the reason of the failure retried.");
        _fallbacks = meter.CreateCounter<long>("switchyard.routing.fallbacks", "{fallback}", "Calls handed to a fallback model group, by source, target and reason.");
        _transitions = meter.CreateCounter<long>("switchyard.routing.breaker.transitions", "{transition}", "Circuit breaker transitions, by deployment and the state entered.");
        _budgetRefusals = meter.CreateCounter<long>("switchyard.routing.retry_budget.exhausted", "{retry}", "Retries not made because the retry budget was spent.");
    }

    /// <summary>For tests and tools that do not export metrics.</summary>
    public static RoutingMetrics Unobserved { get; } = new(new Meter("Switchyard.Routing.Unobserved"));

    public void Attempt(Deployment deployment, string outcome)
    {
        if (_attempts.Enabled)
        {
            _attempts.Add(1, new("deployment", deployment.Name), new("model_group", deployment.Group), new("outcome", outcome));
        }
    }

    public void Retry(string group, string reason)
    {
        if (_retries.Enabled)
        {
            _retries.Add(1, new("model_group", group), new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public void Fallback(string from, string to, string reason)
    {
        if (_fallbacks.Enabled)
        {
            _fallbacks.Add(1, new("from", from), new("to", to), new("reason", reason));
        }
    }

    public void BreakerTransition(string deployment, BreakerState state)
    {
        if (_transitions.Enabled)
        {
            _transitions.Add(1, new("deployment", deployment), new KeyValuePair<string, object?>("state", state.Label()));
        }
    }

    public void RetryBudgetExhausted(string group)
    {
        if (_budgetRefusals.Enabled)
        {
            _budgetRefusals.Add(1, new KeyValuePair<string, object?>("model_group", group));
        }
    }

    /// <summary>Breaker state (0 closed, 1 half-open, 2 open, 3 isolated) and calls in flight of every deployment.</summary>
    public void ObserveDeployments(ModelCatalog catalog)
    {
        var meter = _meter;
        var deployments = catalog.Groups.SelectMany(g => g.Deployments).ToArray();
        meter.CreateObservableGauge(
            "switchyard.routing.breaker.state",
            () => deployments.Select(d => new Measurement<int>((int)d.Health.Breaker.State, new KeyValuePair<string, object?>("deployment", d.Name))),
            "{state}",
            "Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open, 3 isolated (by a failing health check).");
        meter.CreateObservableGauge(
            "switchyard.routing.in_flight",
            () => deployments.Select(d => new Measurement<int>(d.Health.InFlight, new KeyValuePair<string, object?>("deployment", d.Name))),
            "{call}",
            "Upstream calls in flight per deployment.");
    }
}
