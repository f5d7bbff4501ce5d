namespace Switchyard.Limits;

/// <summary>
/// Rate-limit and budget state. Every operation is atomic across all the subjects of a call, and a call
/// costs one <see cref="AcquireAsync"/> and one <see cref="SettleAsync"/>: the in-process store takes one
/// lock and completes synchronously; a shared store (Redis) implements each as one script, awaited
/// without blocking a thread, so limits stay exact across replicas.
/// </summary>
internal interface ILimitStore
{
    /// <summary>Checks every limit and budget of every subject; if all pass, reserves them all. Never partially.</summary>
    ValueTask<LimitDecision> AcquireAsync(LimitRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the estimate with what the call really used and releases its concurrency slot and
    /// budget reservation. Budgeted subjects' spend after settling is passed to <paramref name="settled"/>.
    /// Settling a ticket twice does nothing the second time. Callers pass no cancellation they would
    /// use: a reservation must be given back even when the client has gone.
    /// </summary>
    ValueTask SettleAsync(LimitTicket ticket, long actualTokens, long actualCostNanoUsd, Action<SettledBudget>? settled, CancellationToken cancellationToken);

    /// <summary>Spend and reservations of a subject in a window, or null when the store holds none for that window.</summary>
    BudgetUsage? ReadBudget(string stateKey, BudgetWindow window);

    /// <summary>Sets a subject's spend in a window from the persisted ledger (at start, or when its budget changes).</summary>
    ValueTask SeedSpendAsync(string stateKey, BudgetWindow window, long spentNanoUsd, CancellationToken cancellationToken);
}
