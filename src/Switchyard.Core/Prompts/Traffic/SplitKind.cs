namespace Switchyard.Prompts.Traffic;

/// <summary>What split a label's traffic: an A/B experiment (weights fixed by hand) or a canary rollout (a share that grows by steps).</summary>
internal enum SplitKind
{
    Experiment,
    Rollout,
}
