using Switchyard.Limits;

namespace Switchyard.Spend;

/// <summary>A budgeted subject's spend in its current window, right after a call settled.</summary>
/// <param name="SpentNanoUsd">Settled spend in the window, this call included.</param>
internal readonly record struct BudgetObservation(SubjectKind Kind, string SubjectId, Budget Budget, BudgetWindow Window, long SpentNanoUsd);

/// <summary>
/// Turns budget thresholds crossed into alerts, once per subject, window and threshold. Called on the
/// request path after every settlement of a budgeted subject: it must return at once and leave any
/// I/O (storage, webhooks) to a background worker.
/// </summary>
internal interface ISpendAlerts
{
    void Observe(in BudgetObservation observation);
}
