using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Switchyard.Spend.Alerts;

/// <summary>
/// Decides, on the request path, which budget thresholds a settled call has just crossed. Each
/// (subject, window, threshold) fires once: it is marked in memory at once, so concurrent calls
/// cannot fire it twice, and handed to the <see cref="AlertQueue"/>; the
/// <see cref="AlertDeliveryService"/> stores and delivers it. What fired in windows that are still
/// open is loaded from the store at start, so a restart does not fire again.
/// </summary>
/// <remarks>
/// The common case, nothing new crossed, allocates nothing: a decimal comparison per threshold and a
/// dictionary lookup per threshold already crossed.
/// </remarks>
internal sealed partial class SpendAlerts : ISpendAlerts
{
    /// <summary>
    /// How long a fired key is kept after its window ended: a call that started before the end may
    /// still settle against the old window. Past that the store's unique index still holds.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    // Key → the end of its window in Unix microseconds (long.MaxValue for a total budget), for Forget.
    private readonly ConcurrentDictionary<FiredAlertKey, long> _fired = new();
    private readonly AlertQueue _queue;
    private readonly TimeProvider _time;
    private readonly ILogger<SpendAlerts> _logger;
    private long _firedCount;
    private long _dropped;

    public SpendAlerts(IAlertStore store, AlertQueue queue, TimeProvider time, ILogger<SpendAlerts> logger)
    {
        _queue = queue;
        _time = time;
        _logger = logger;
        // Loaded once while the host builds its services, before any call can fire an alert.
        foreach (var (key, end) in store.LoadFiredAsync(time.GetUtcNow() - Grace, CancellationToken.None).GetAwaiter().GetResult())
        {
            _fired[key] = end;
        }
    }

    /// <summary>Alerts fired since start.</summary>
    public long Fired => Interlocked.Read(ref _firedCount);

    /// <summary>Alerts that found the queue full; they were not marked and fire again on a later call.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Keys held in memory.</summary>
    public int Remembered => _fired.Count;

    public void Observe(in BudgetObservation observation)
    {
        if (observation.SpentNanoUsd <= 0 || observation.SubjectId is null || observation.Budget is not { } budget)
        {
            return;
        }

        var thresholds = budget.AlertThresholds;
        for (var i = 0; i < thresholds.Count; i++)
        {
            var threshold = thresholds[i];
            if (!Crossed(observation.SpentNanoUsd, budget.AmountNanoUsd, threshold))
            {
                continue;
            }

            var key = new FiredAlertKey(observation.Kind, observation.SubjectId, observation.Window.Kind, observation.Window.Id, threshold);
            if (_fired.ContainsKey(key) || !_fired.TryAdd(key, observation.Window.End is { } end ? AlertTime.ToUs(end) : long.MaxValue))
            {
                continue;
            }

            var alert = new FiredAlert(observation.Kind, observation.SubjectId, observation.Window, threshold, budget.AmountNanoUsd, observation.SpentNanoUsd, budget.Mode, _time.GetUtcNow());
            if (_queue.TryEnqueue(alert))
            {
                Interlocked.Increment(ref _firedCount);
            }
            else
            {
                // Unmarked, so the next call that settles on this subject tries again.
                _fired.TryRemove(key, out _);
                Interlocked.Increment(ref _dropped);
                Log.QueueFull(_logger, AlertNames.Of(observation.Kind), threshold);
            }
        }
    }

    /// <summary>
    /// <c>spent ≥ threshold × budget</c> in decimal, so a 100 % threshold fires exactly at the budget
    /// (a double product can land a nano-dollar off). Thresholds that are not positive finite numbers
    /// never fire.
    /// </summary>
    /// <remarks>A double comparison with a margin rejects the common case (far below) before the exact decimal one.</remarks>
    public static bool Crossed(long spentNanoUsd, long budgetNanoUsd, double threshold) =>
        threshold is > 0 and <= 1_000_000
        && spentNanoUsd >= threshold * budgetNanoUsd * 0.999_999
        && spentNanoUsd >= (decimal)threshold * budgetNanoUsd;

    /// <summary>Forgets keys whose window ended more than <see cref="Grace"/> before <paramref name="now"/>; returns how many.</summary>
    public int Forget(DateTimeOffset now)
    {
        var cut = AlertTime.ToUs(now - Grace);
        var removed = 0;
        foreach (var pair in _fired)
        {
            if (pair.Value <= cut && _fired.TryRemove(pair.Key, out _))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>The store could not take this alert: unmark it so a later call fires it again.</summary>
    public void Unmark(FiredAlertKey key) => _fired.TryRemove(key, out _);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Spend alert queue is full: a {SubjectKind} alert at {Threshold} was not fired now and will fire on a later call")]
        public static partial void QueueFull(ILogger logger, string subjectKind, double threshold);
    }
}
