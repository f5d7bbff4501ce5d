using Switchyard.Limits;

namespace Switchyard.Spend.Alerts;

/// <summary>
/// What an alert fires once for: a subject's threshold in one window. The window kind is part of it
/// so two budgets of one subject whose windows start at the same instant (a daily and a monthly
/// budget on the 1st) do not silence each other.
/// </summary>
internal readonly record struct FiredAlertKey(SubjectKind Kind, string SubjectId, BudgetWindowKind WindowKind, long WindowId, double Threshold);
