using Switchyard.Tracing;

namespace Switchyard.Storage.Sqlite;

/// <summary>Deletes expired rows table by table, a chunk at a time, so a writer never waits long for SQLite's one write lock.</summary>
internal sealed class SqliteTraceRetention(SqliteDatabase database) : ITraceRetention
{
    private const int ChunkRows = 5_000;

    private static readonly string[] s_deletes =
    [
        "DELETE FROM call_tags WHERE rowid IN (SELECT rowid FROM call_tags WHERE start_time_us < $cut LIMIT $n)",
        "DELETE FROM calls WHERE id IN (SELECT id FROM calls WHERE start_time_us < $cut ORDER BY start_time_us LIMIT $n)",
        "DELETE FROM spans WHERE id IN (SELECT id FROM spans WHERE start_time_us < $cut ORDER BY start_time_us LIMIT $n)",
        "DELETE FROM scores WHERE id IN (SELECT id FROM scores WHERE created_us < $cut ORDER BY created_us LIMIT $n)",
        "DELETE FROM call_minutes WHERE rowid IN (SELECT rowid FROM call_minutes WHERE minute_us < $cut ORDER BY minute_us LIMIT $n)",
        "DELETE FROM call_hours WHERE rowid IN (SELECT rowid FROM call_hours WHERE hour_us < $cut ORDER BY hour_us LIMIT $n)",
    ];

    public async Task<long> DeleteBeforeAsync(DateTimeOffset cut, CancellationToken cancellationToken)
    {
        long total = 0;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var sql in s_deletes)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$cut", cut.ToUnixTimeMilliseconds() * 1000);
            command.Parameters.AddWithValue("$n", ChunkRows);
            int deleted;
            do
            {
                deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                total += deleted;
            }
            while (deleted == ChunkRows);
        }

        return total;
    }
}
