namespace Switchyard.Prompts.Rollouts;

/// <summary>
/// The gate that stopped a rollout (error_rate, p95_latency, cost_per_call, positive_feedback_rate or
/// score:NAME), what was seen on each version and the limit, for the rollout record, the alert and the audit log.
/// </summary>
internal sealed record GateFailure(string Gate, double Current, double New, double Limit, long CurrentCalls, long NewCalls, string Detail);
