namespace Switchyard.Prompts.Rollouts;

/// <summary>Where a rollout is; only <see cref="Running"/> is evaluated.</summary>
internal enum RolloutStatus
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
