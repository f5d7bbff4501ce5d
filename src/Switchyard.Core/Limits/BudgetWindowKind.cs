namespace Switchyard.Limits;

/// <summary>The calendar period a budget covers; it resets at the start of the next one.</summary>
internal enum BudgetWindowKind
{
    Daily,
    Weekly,
    Monthly,
    Total,
}
