namespace Switchyard.Limits;

/// <summary>Rate limits on one subject (a key, user, team, model group or the whole gateway). Null means unlimited.</summary>
internal sealed record RateLimits(long? RequestsPerMinute, long? TokensPerMinute, int? MaxConcurrent)
{
    public static readonly RateLimits None = new(null, null, null);

    public bool IsEmpty => RequestsPerMinute is null && TokensPerMinute is null && MaxConcurrent is null;
}

/// <summary>The calendar period a budget covers; it resets at the start of the next one.</summary>
internal enum BudgetWindowKind
{
    Daily,
    Weekly,
    Monthly,
    Total,
}

internal enum BudgetMode
{
    /// <summary>A call that could take spend past the budget is refused.</summary>
    Hard,

    /// <summary>Calls go on; thresholds raise alerts.</summary>
    Soft,
}

/// <summary>A spending limit in nano-USD over a window, with the fractions of it that raise alerts.</summary>
internal sealed record Budget(long AmountNanoUsd, BudgetWindowKind Window, BudgetMode Mode, IReadOnlyList<double> AlertThresholds)
{
    public static readonly IReadOnlyList<double> DefaultThresholds = [0.5, 0.8, 1.0];
}

/// <summary>What a limit or budget belongs to.</summary>
internal enum SubjectKind
{
    Global,
    ModelGroup,
    Team,
    User,
    Key,
}
