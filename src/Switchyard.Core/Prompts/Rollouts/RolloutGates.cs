namespace Switchyard.Prompts.Rollouts;

/// <summary>
/// The conditions the new version must meet at every step, each against the current version over the same
/// step. A null limit switches its gate off. Defaults from the seed: error rate at most 0.1 %, no
/// score more than 5 % below the current version's.
/// </summary>
internal sealed record RolloutGates
{
    /// <summary>Highest error rate allowed on the new version, absolute (0.001 = 0.1 %).</summary>
    public double? MaxErrorRate { get; init; } = 0.001;

    /// <summary>Also fail when the new version's error rate is significantly above the current one's (mSPRT always-valid p-value below <see cref="Alpha"/>).</summary>
    public bool ErrorRateNotWorseThanCurrent { get; init; } = true;

    /// <summary>Highest new p95 latency as a multiple of the current version's.</summary>
    public double? MaxP95LatencyRatio { get; init; } = 1.5;

    /// <summary>The latency gate fails only when the p95s are also this far apart, in milliseconds: fast calls' p95s differ by noise.</summary>
    public double MinLatencyDifferenceMs { get; init; } = 100;

    /// <summary>Highest new cost per call as a multiple of the current version's.</summary>
    public double? MaxCostRatio { get; init; } = 1.25;

    /// <summary>Largest drop in positive-feedback rate, absolute (0.05 = five percentage points).</summary>
    public double? MaxFeedbackRateDrop { get; init; } = 0.05;

    /// <summary>Largest relative drop of any score's mean (0.05 = 5 %), unless <see cref="ScoreRegressions"/> names the score.</summary>
    public double? MaxScoreRegression { get; init; } = 0.05;

    /// <summary>Per-score overrides of <see cref="MaxScoreRegression"/>; a null value switches that score's gate off.</summary>
    public IReadOnlyDictionary<string, double?> ScoreRegressions { get; init; } = new Dictionary<string, double?>();

    /// <summary>Significance level of the error-rate comparison and of the early error-rate failure.</summary>
    public double Alpha { get; init; } = 0.05;
}
