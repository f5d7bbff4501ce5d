namespace Switchyard.Prompts.Rollouts;

/// <summary>The evaluator's answer: <see cref="NextPercent"/> for an advance, <see cref="Failure"/> for a rollback, <see cref="Reason"/> always.</summary>
internal sealed record RolloutDecision(RolloutDecisionKind Kind, string Reason, int? NextPercent = null, GateFailure? Failure = null)
{
    public static RolloutDecision Wait(string reason) => new(RolloutDecisionKind.Wait, reason);

    public static RolloutDecision Advance(int percent) => new(RolloutDecisionKind.Advance, $"gates held, advancing to {percent} %", percent);

    public static RolloutDecision Complete() => new(RolloutDecisionKind.Complete, "gates held at the last step");

    public static RolloutDecision RollBack(GateFailure failure) => new(RolloutDecisionKind.RollBack, $"gate {failure.Gate} failed: {failure.Detail}", null, failure);
}
