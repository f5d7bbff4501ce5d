using Switchyard.Limits;

namespace Switchyard.Spend;

/// <summary>A budgeted subject's spend in its current window, right after a call settled.</summary>
/// <param name="SpentNanoUsd">Settled spend in the window, this call included.</param>
internal readonly record struct BudgetObservation(SubjectKind Kind, string SubjectId, Budget Budget, BudgetWindow Window, long SpentNanoUsd);
