namespace Switchyard.Spend.Alerts;

/// <summary>
/// The alert log. A subject, window and threshold is stored at most once, whichever gateway fires it
/// first: that is the last word on "once per window", across processes and restarts.
/// </summary>
internal interface IAlertStore
{
    /// <summary>Stores a new alert as pending; returns its id, or null when it was already stored.</summary>
    Task<long?> TryInsertAsync(FiredAlert alert, CancellationToken cancellationToken);

    /// <summary>Records a delivery outcome; <paramref name="attempts"/> is added to those already made.</summary>
    Task SetDeliveryAsync(long id, string status, int attempts, string? error, DateTimeOffset? deliveredAt, CancellationToken cancellationToken);

    /// <summary>The keys of alerts whose window has not ended before <paramref name="endedBefore"/> (total windows never end), with the window end in Unix microseconds.</summary>
    Task<IReadOnlyList<(FiredAlertKey Key, long WindowEndUs)>> LoadFiredAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken);

    /// <summary>Alerts stored but not delivered, oldest first: a process stopped while they were on their way.</summary>
    Task<IReadOnlyList<FiredAlert>> PendingAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Alerts newest first, filtered.</summary>
    Task<IReadOnlyList<StoredAlert>> ListAsync(AlertQuery query, CancellationToken cancellationToken);
}
