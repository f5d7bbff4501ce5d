namespace Switchyard.Spend;

/// <summary>
/// Turns budget thresholds crossed into alerts, once per subject, window and threshold. Called on the
/// request path after every settlement of a budgeted subject: it must return at once and leave any
/// I/O (storage, webhooks) to a background worker.
/// </summary>
internal interface ISpendAlerts
{
    void Observe(in BudgetObservation observation);
}
