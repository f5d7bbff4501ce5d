using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;

namespace Switchyard.Tracing;

/// <summary>
/// Deletes calls, spans and scores older than <see cref="TracingOptions.Retention"/>, a minute after
/// start and then every hour, through <see cref="ITraceRetention"/>.
/// </summary>
internal sealed partial class RetentionService(ITraceRetention store, TracingOptions options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    private long _deleted;

    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>One pass: deletes everything older than the retention window; returns the rows deleted.</summary>
    public async Task<long> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var total = await store.DeleteBeforeAsync(time.GetUtcNow() - options.Retention, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _deleted, total);
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
            do
            {
                try
                {
                    var deleted = await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
                    if (deleted > 0)
                    {
                        Log.Purged(logger, deleted, options.Retention.TotalDays);
                    }
                }
                catch (System.Data.Common.DbException ex)
                {
                    Log.PurgeFailed(logger, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Retention: deleted {Rows} rows older than {Days} days")]
        public static partial void Purged(ILogger logger, long rows, double days);

        [LoggerMessage(2, LogLevel.Warning, "Retention pass failed, will retry next hour: {Reason}")]
        public static partial void PurgeFailed(ILogger logger, string reason);
    }
}
