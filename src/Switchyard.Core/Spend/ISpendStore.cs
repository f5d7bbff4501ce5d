using Switchyard.Limits;

namespace Switchyard.Spend;

/// <summary>
/// The spend ledger: requests, tokens and cost per local day, key, owner user, team and model group.
/// Writers only ever add to a row, so any number of gateways can write the same rows without losing
/// each other's calls. An absent key, user or team is the empty string, never null.
/// </summary>
internal interface ISpendStore
{
    /// <summary>Adds every delta to its row (creating it), all or none.</summary>
    Task AddAsync(IReadOnlyCollection<SpendDelta> deltas, CancellationToken cancellationToken);

    /// <summary>Cost of a key's, user's or team's calls on or after <paramref name="firstDay"/> (local days).</summary>
    Task<long> SpentSinceAsync(SubjectKind kind, string id, DateOnly firstDay, CancellationToken cancellationToken);

    /// <summary>
    /// Sums the matching rows grouped by <see cref="SpendQuery.GroupBy"/>, costliest first (then by the
    /// dimensions), at most <see cref="SpendReport.MaxRows"/> groups; the total covers every matching row.
    /// </summary>
    Task<SpendReport> ReportAsync(SpendQuery query, CancellationToken cancellationToken);
}
