namespace Switchyard.Spend;

/// <summary>A subject's budget against its spend in the current window: <c>"spend"</c> in keys, teams and users.</summary>
internal sealed record SpendView(
    string Window,
    DateTimeOffset? WindowStart,
    DateTimeOffset? WindowEnd,
    string BudgetUsd,
    string SpentUsd,
    string ReservedUsd,
    string RemainingUsd,
    double UsedFraction,
    bool Exceeded);
