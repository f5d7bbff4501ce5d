using Switchyard.Recording;

namespace Switchyard.Tracing;

/// <summary>
/// Totals of the recorded calls at two grains: per minute and model group, and per hour, model group,
/// key and team (<see cref="MinuteStats"/>, serialised). Writers only ever add rows, never read and
/// rewrite one, so several gateways can record into the same store without losing each other's calls;
/// a minute or hour may therefore be held in several rows until <see cref="CompactAsync"/> folds them.
/// Absent model groups, keys and teams are empty strings.
/// </summary>
internal interface IRollupStore
{
    /// <summary>Adds the calls' totals (the call writer does the same inside its own transaction).</summary>
    Task AddAsync(IReadOnlyCollection<CallRecord> calls, CancellationToken cancellationToken);

    /// <summary>Rows of the minutes in [<paramref name="fromUs"/>, <paramref name="toUs"/>), of one model group or all; a minute may come in several rows.</summary>
    Task<IReadOnlyList<RollupRow>> ReadMinutesAsync(long fromUs, long toUs, string? modelGroup, CancellationToken cancellationToken);

    /// <summary>Rows of the hours in the window, for one model group, key and team or any of them; an hour may come in several rows.</summary>
    Task<IReadOnlyList<RollupRow>> ReadHoursAsync(long fromUs, long toUs, string? modelGroup, string? key, string? team, CancellationToken cancellationToken);

    /// <summary>
    /// Folds the rows of each minute and hour into one, so reads stay small. Safe beside writers and other
    /// compactions: a row is folded only by the compaction that removed it. Returns the rows removed.
    /// </summary>
    Task<int> CompactAsync(CancellationToken cancellationToken);

    /// <summary>Builds the rollups from the recorded calls when there are calls but no rollups (a store from before them).</summary>
    Task BackfillIfEmptyAsync(CancellationToken cancellationToken);
}
