namespace Switchyard.Prompts.Rollouts;

/// <summary>
/// A rollout's progress. <see cref="Version"/> counts saves: a store only accepts a state whose version is
/// one above the stored one, so two gateways evaluating the same rollout cannot both advance it.
/// </summary>
internal sealed record RolloutState(RolloutStatus Status, int StepIndex, DateTimeOffset StepStartedAt, long Version, GateFailure? Failure = null)
{
    /// <summary>A rollout starting now at its first step.</summary>
    public static RolloutState Start(DateTimeOffset now) => new(RolloutStatus.Running, 0, now, 1);
}
