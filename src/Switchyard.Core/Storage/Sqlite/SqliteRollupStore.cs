using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchyard.Recording;
using Switchyard.Tracing;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The rollups in <c>call_minutes</c> and <c>call_hours</c>: every batch inserts new rows (migration 11
/// dropped the one-row-per-minute key), and compaction deletes a minute's rows and inserts their sum in
/// one transaction, folding only the rows its own DELETE returned.
/// </summary>
internal sealed partial class SqliteRollupStore(SqliteDatabase database, ILogger<SqliteRollupStore> logger) : IRollupStore
{
    private static readonly Grain s_minutes = new("call_minutes", "minute_us", ["model_group"]);
    private static readonly Grain s_hours = new("call_hours", "hour_us", ["model_group", "key_id", "team"]);

    /// <summary>Adds the rows of a batch inside the caller's transaction (the call writer's, so a retried batch is not counted twice).</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, RollupDeltas deltas)
    {
        Insert(connection, transaction, s_minutes, deltas.Minutes.Select(d => (d.Key.MinuteUs, (string[])[d.Key.ModelGroup], d.Value)));
        Insert(connection, transaction, s_hours, deltas.Hours.Select(d => (d.Key.HourUs, (string[])[d.Key.ModelGroup, d.Key.KeyId, d.Key.Team], d.Value)));
    }

    public async Task AddAsync(IReadOnlyCollection<CallRecord> calls, CancellationToken cancellationToken)
    {
        var deltas = RollupDeltas.Of(calls);
        if (deltas.IsEmpty)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        Insert(connection, transaction, deltas);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<RollupRow>> ReadMinutesAsync(long fromUs, long toUs, string? modelGroup, CancellationToken cancellationToken) =>
        ReadAsync(s_minutes, MinuteRollups.MinuteOf(fromUs), toUs, [modelGroup], cancellationToken);

    public Task<IReadOnlyList<RollupRow>> ReadHoursAsync(long fromUs, long toUs, string? modelGroup, string? key, string? team, CancellationToken cancellationToken) =>
        ReadAsync(s_hours, MinuteRollups.HourOf(fromUs), toUs, [modelGroup, key, team], cancellationToken);

    public async Task<int> CompactAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var removed = 0;
        foreach (var grain in (Grain[])[s_minutes, s_hours])
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var merged = new Dictionary<string, (long Start, string[] Key, MinuteStats Stats)>(StringComparer.Ordinal);
            await using (var delete = connection.CreateCommand())
            {
                delete.Transaction = transaction;
                var key = string.Join(", ", grain.Columns);
                delete.CommandText = $"""
                    DELETE FROM {grain.Table} WHERE ({key}) IN (SELECT {key} FROM {grain.Table} GROUP BY {key} HAVING COUNT(*) > 1)
                    RETURNING {key}, stats
                    """;
                await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var start = reader.GetInt64(0);
                    var dimensions = new string[grain.Dimensions.Length];
                    for (var i = 0; i < dimensions.Length; i++)
                    {
                        dimensions[i] = reader.GetString(i + 1);
                    }

                    var id = start.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\u0000" + string.Join('\u0000', dimensions);
                    if (!merged.TryGetValue(id, out var row))
                    {
                        merged[id] = row = (start, dimensions, new MinuteStats());
                    }

                    row.Stats.MergeSerialized((byte[])reader.GetValue(grain.Dimensions.Length + 1));
                    removed++;
                }
            }

            Insert(connection, transaction, grain, merged.Values.Select(m => (m.Start, m.Key, m.Stats)));
            await transaction.CommitAsync(cancellationToken);
        }

        return removed;
    }

    public async Task BackfillIfEmptyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var check = connection.CreateCommand())
        {
            check.CommandText = "SELECT (EXISTS (SELECT 1 FROM call_minutes) AND EXISTS (SELECT 1 FROM call_hours)) OR NOT EXISTS (SELECT 1 FROM calls)";
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! == 1)
            {
                return;
            }
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var deltas = new RollupDeltas();
        long calls = 0;
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT start_time_us, model_group, status, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_nanousd, latency_us, ttft_us, cache, cost_saved_nanousd, key_id, team FROM calls";
            await using var r = await read.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                deltas.Add(
                    r.GetInt64(0), r.IsDBNull(1) ? "" : r.GetString(1), r.IsDBNull(12) ? "" : r.GetString(12), r.IsDBNull(13) ? "" : r.GetString(13),
                    r.GetInt32(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.IsDBNull(7) ? null : r.GetInt64(7), r.GetInt64(8), r.IsDBNull(9) ? null : r.GetInt64(9), r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetInt64(11));
                calls++;
            }
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = connection.CreateCommand())
        {
            clear.Transaction = transaction;
            clear.CommandText = "DELETE FROM call_minutes; DELETE FROM call_hours";
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        Insert(connection, transaction, deltas);
        await transaction.CommitAsync(cancellationToken);
        Log.Backfilled(logger, calls, deltas.Minutes.Count + deltas.Hours.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private async Task<IReadOnlyList<RollupRow>> ReadAsync(Grain grain, long fromUs, long toUs, string?[] filters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = $"SELECT {grain.Start}, stats FROM {grain.Table} WHERE {grain.Start} >= $from AND {grain.Start} < $to";
        command.Parameters.AddWithValue("$from", fromUs);
        command.Parameters.AddWithValue("$to", toUs);
        for (var i = 0; i < filters.Length; i++)
        {
            if (filters[i] is { } value)
            {
                var column = grain.Dimensions[i];
                sql += $" AND {column} = ${column}";
                command.Parameters.AddWithValue("$" + column, value);
            }
        }

        command.CommandText = sql;
        var rows = new List<RollupRow>();

        // GetValue, not GetBytes: Microsoft.Data.Sqlite's GetBytes goes through incremental blob I/O,
        // which measured 20 times slower here.
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new RollupRow(reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }

        return rows;
    }

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, Grain grain, IEnumerable<(long Start, string[] Dimensions, MinuteStats Stats)> rows)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {grain.Table} ({string.Join(", ", grain.Columns)}, stats) VALUES ({string.Join(", ", grain.Columns.Select(c => "$" + c))}, $stats)";
        var start = insert.Parameters.Add("$" + grain.Start, SqliteType.Integer);
        var dimensions = grain.Dimensions.Select(c => insert.Parameters.Add("$" + c, SqliteType.Text)).ToArray();
        var stats = insert.Parameters.Add("$stats", SqliteType.Blob);
        foreach (var row in rows)
        {
            start.Value = row.Start;
            for (var i = 0; i < dimensions.Length; i++)
            {
                dimensions[i].Value = row.Dimensions[i];
            }

            stats.Value = row.Stats.Serialize();
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>A rollup table: its time column and its dimension columns.</summary>
    private sealed record Grain(string Table, string Start, string[] Dimensions)
    {
        public string[] Columns { get; } = [Start, .. Dimensions];
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Built the rollups of {Calls} recorded calls ({Rows} rows) in {Seconds:F1} s")]
        public static partial void Backfilled(ILogger logger, long calls, int rows, double seconds);
    }
}
