namespace Switchyard.Prompts.Rollouts;

/// <summary>What to do with a running rollout now.</summary>
internal enum RolloutDecisionKind
{
    /// <summary>Keep the current step: too early, too few calls, or the rollout is not running.</summary>
    Wait,

    /// <summary>Go to the next step's percentage.</summary>
    Advance,

    /// <summary>The last gates held: move the label to the new version.</summary>
    Complete,

    /// <summary>A gate failed: the label stays on the old version and the rollout is failed.</summary>
    RollBack,
}
