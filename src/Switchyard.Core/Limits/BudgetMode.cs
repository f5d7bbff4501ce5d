namespace Switchyard.Limits;

internal enum BudgetMode
{
    /// <summary>A call that could take spend past the budget is refused.</summary>
    Hard,

    /// <summary>Calls go on; thresholds raise alerts.</summary>
    Soft,
}
