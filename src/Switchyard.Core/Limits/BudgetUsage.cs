namespace Switchyard.Limits;

/// <summary>Spend of one subject in one budget window, as the store holds it.</summary>
internal readonly record struct BudgetUsage(long SpentNanoUsd, long ReservedNanoUsd);
