namespace Switchyard.Hosting;

/// <summary>A rollout's gates as sent; a missing one keeps its default.</summary>
internal sealed record RolloutGatesBody
{
    public double? MaxErrorRate { get; init; }

    public double? MaxLatencyP95Ratio { get; init; }

    public double? MaxCostRatio { get; init; }

    public double? MaxFeedbackDrop { get; init; }

    public double? MaxScoreRegression { get; init; }
}
