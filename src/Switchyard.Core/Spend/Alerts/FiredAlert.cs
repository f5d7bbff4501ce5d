using Switchyard.Limits;

namespace Switchyard.Spend.Alerts;

/// <summary>A threshold crossed: everything the alert log and the webhooks say about it.</summary>
/// <param name="Id">The row id in <c>spend_alerts</c>; 0 until stored.</param>
internal sealed record FiredAlert(
    SubjectKind Kind,
    string SubjectId,
    BudgetWindow Window,
    double Threshold,
    long BudgetNanoUsd,
    long SpentNanoUsd,
    BudgetMode Mode,
    DateTimeOffset FiredAt,
    long Id = 0)
{
    public FiredAlertKey Key => new(Kind, SubjectId, Window.Kind, Window.Id, Threshold);
}
