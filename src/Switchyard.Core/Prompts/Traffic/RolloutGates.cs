namespace Switchyard.Prompts.Traffic;

/// <summary>
/// What a canary step must hold, the new version against the current one over the same window. Defaults
/// from the operators' playbook: error rate under 0.1 %, scores not more than 5 % worse.
/// </summary>
internal sealed record RolloutGates
{
    /// <summary>The canary's error rate may not exceed this (absolute).</summary>
    public double MaxErrorRate { get; init; } = 0.001;

    /// <summary>The canary's p95 latency may be at most this many times the current version's.</summary>
    public double MaxLatencyP95Ratio { get; init; } = 1.5;

    /// <summary>The canary's cost per call may be at most this many times the current version's.</summary>
    public double MaxCostRatio { get; init; } = 1.25;

    /// <summary>The canary's positive-feedback rate may drop by at most this much (absolute), once both have feedback.</summary>
    public double MaxFeedbackDrop { get; init; } = 0.05;

    /// <summary>The mean of each named score may be at most this much lower, relative to the current version's.</summary>
    public double MaxScoreRegression { get; init; } = 0.05;
}
