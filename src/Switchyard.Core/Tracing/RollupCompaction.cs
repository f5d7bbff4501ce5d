using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchyard.Tracing;

/// <summary>
/// Folds the rollup rows that the writers add (one per batch and minute) into one row per minute and
/// hour, once a minute, so dashboard reads over long windows stay a few thousand rows.
/// </summary>
internal sealed partial class RollupCompaction(IRollupStore rollups, TimeProvider time, ILogger<RollupCompaction> logger) : BackgroundService
{
    private static readonly TimeSpan s_period = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(s_period, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await rollups.CompactAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Uncompacted rows are still summed by readers: only slower, never wrong.
                    Log.CompactionFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Compacting the rollups failed; will try again in a minute")]
        public static partial void CompactionFailed(ILogger logger, Exception exception);
    }
}
