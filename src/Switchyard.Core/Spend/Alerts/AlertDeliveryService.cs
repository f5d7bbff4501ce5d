using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;

namespace Switchyard.Spend.Alerts;

/// <summary>
/// Takes fired alerts off the <see cref="AlertQueue"/>, stores each one (the store's unique index
/// drops one that was already fired) and delivers it to every webhook, then records how that went.
/// At start it first delivers alerts left pending by a previous process; every few minutes it lets
/// <see cref="SpendAlerts"/> forget windows that have ended. No failure here stops the process.
/// </summary>
internal sealed partial class AlertDeliveryService(
    AlertQueue queue,
    IAlertStore store,
    SpendAlerts alerts,
    WebhookSender sender,
    AlertOptions options,
    TimeProvider time,
    ILogger<AlertDeliveryService> logger) : BackgroundService
{
    private const int PendingAtStart = 1000;
    private static readonly TimeSpan s_forgetInterval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var forgetting = ForgetAsync(stoppingToken);
        try
        {
            await DeliverPendingAsync(stoppingToken).ConfigureAwait(false);
            await foreach (var alert in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (await StoreAsync(alert).ConfigureAwait(false) is { } id)
                {
                    await DeliverAsync(alert with { Id = id }, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: an alert being delivered stays pending and goes out at the next start.
        }
        finally
        {
            // Store what is still queued, so the next start delivers it instead of firing it again.
            while (queue.Reader.TryRead(out var alert))
            {
                await StoreAsync(alert).ConfigureAwait(false);
            }
        }

        await forgetting.ConfigureAwait(false);
    }

    /// <summary>Delivers one stored alert to every webhook and records the outcome.</summary>
    internal async Task DeliverAsync(FiredAlert alert, CancellationToken cancellationToken)
    {
        try
        {
            if (options.Webhooks.Count == 0)
            {
                await store.SetDeliveryAsync(alert.Id, AlertNames.NoWebhooks, 0, null, null, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var results = await Task.WhenAll(options.Webhooks.Select(w => sender.SendAsync(w, WebhookBody.For(alert, w.Format), options.MaxAttempts, cancellationToken))).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                // Stopping mid-way: count the attempts made and leave it pending for the next start,
                // which sends it to every webhook again (delivery is at least once).
                await store.SetDeliveryAsync(alert.Id, AlertNames.Pending, results.Sum(r => r.Attempts), null, null, CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            var failed = results.Where(r => !r.Delivered).Select(r => $"{r.Target}: {r.Error}").ToList();
            // Not cancellable: an outcome is recorded even while stopping, or the alert would go out again.
            await store.SetDeliveryAsync(
                alert.Id,
                failed.Count == 0 ? AlertNames.Delivered : AlertNames.Failed,
                results.Sum(r => r.Attempts),
                failed.Count == 0 ? null : string.Join("; ", failed),
                failed.Count == 0 ? time.GetUtcNow() : null,
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.DeliveryFailed(logger, alert.Id, ex.GetType().Name, ex.Message);
        }
    }

    private async Task<long?> StoreAsync(FiredAlert alert)
    {
        try
        {
            return await store.TryInsertAsync(alert, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Not stored means not fired: unmarked, a later call fires it again.
            alerts.Unmark(alert.Key);
            Log.StoreFailed(logger, ex.GetType().Name, ex.Message);
            return null;
        }
    }

    private async Task DeliverPendingAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<FiredAlert> pending;
        try
        {
            pending = await store.PendingAsync(PendingAtStart, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.PendingUnreadable(logger, ex.GetType().Name, ex.Message);
            return;
        }

        foreach (var alert in pending)
        {
            await DeliverAsync(alert, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ForgetAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(s_forgetInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                alerts.Forget(time.GetUtcNow());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Spend alert {Id}: delivery failed unexpectedly ({Type}: {Reason})")]
        public static partial void DeliveryFailed(ILogger logger, long id, string type, string reason);

        [LoggerMessage(2, LogLevel.Error, "Spend alerts: the store failed ({Type}: {Reason}); the alert will fire again on a later call")]
        public static partial void StoreFailed(ILogger logger, string type, string reason);

        [LoggerMessage(3, LogLevel.Error, "Spend alerts: could not read alerts left pending ({Type}: {Reason}); they stay pending")]
        public static partial void PendingUnreadable(ILogger logger, string type, string reason);
    }
}
