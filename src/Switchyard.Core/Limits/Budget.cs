namespace Switchyard.Limits;

/// <summary>A spending limit in nano-USD over a window, with the fractions of it that raise alerts.</summary>
internal sealed record Budget(long AmountNanoUsd, BudgetWindowKind Window, BudgetMode Mode, IReadOnlyList<double> AlertThresholds)
{
    public static readonly IReadOnlyList<double> DefaultThresholds = [0.5, 0.8, 1.0];
}
