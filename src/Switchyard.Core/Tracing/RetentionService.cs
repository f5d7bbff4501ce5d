using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Storage;

namespace Switchyard.Tracing;

/// <summary>
/// Deletes calls, spans and scores older than <see cref="TracingOptions.Retention"/>, a minute after
/// start and then every hour, in small chunks so the writers never wait long for the database.
/// </summary>
internal sealed partial class RetentionService(SqliteDatabase database, TracingOptions options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    private const int ChunkRows = 5_000;

    private static readonly (string Table, string Sql)[] s_deletes =
    [
        ("call_tags", "DELETE FROM call_tags WHERE rowid IN (SELECT rowid FROM call_tags WHERE start_time_us < $cut LIMIT $n)"),
        ("calls", "DELETE FROM calls WHERE id IN (SELECT id FROM calls WHERE start_time_us < $cut ORDER BY start_time_us LIMIT $n)"),
        ("spans", "DELETE FROM spans WHERE id IN (SELECT id FROM spans WHERE start_time_us < $cut ORDER BY start_time_us LIMIT $n)"),
        ("scores", "DELETE FROM scores WHERE id IN (SELECT id FROM scores WHERE created_us < $cut ORDER BY created_us LIMIT $n)"),
        ("call_minutes", "DELETE FROM call_minutes WHERE rowid IN (SELECT rowid FROM call_minutes WHERE minute_us < $cut ORDER BY minute_us LIMIT $n)"),
        ("call_hours", "DELETE FROM call_hours WHERE rowid IN (SELECT rowid FROM call_hours WHERE hour_us < $cut ORDER BY hour_us LIMIT $n)"),
    ];

    private long _deleted;

    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>One pass: deletes everything older than the retention window; returns the rows deleted.</summary>
    public long PurgeOnce()
    {
        var cut = (time.GetUtcNow() - options.Retention).ToUnixTimeMilliseconds() * 1000;
        long total = 0;
        using var connection = database.Open();
        foreach (var (_, sql) in s_deletes)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$cut", cut);
            command.Parameters.AddWithValue("$n", ChunkRows);
            int deleted;
            do
            {
                deleted = command.ExecuteNonQuery();
                total += deleted;
            }
            while (deleted == ChunkRows);
        }

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
                    var deleted = PurgeOnce();
                    if (deleted > 0)
                    {
                        Log.Purged(logger, deleted, options.Retention.TotalDays);
                    }
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
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
