using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchyard.Recording;
using Switchyard.Storage;

namespace Switchyard.Tracing;

/// <summary>
/// Totals of the recorded calls at two grains, kept by the recorder in the same transaction as the
/// calls, trimmed by retention with them: per minute and model group (<c>call_minutes</c>), and per hour,
/// model group, key and team (<c>call_hours</c>). The dashboard reads them for views filtered at most by
/// model group, key and team, so a week of a million calls is a few thousand rows, not a million.
/// </summary>
internal sealed partial class MinuteRollups(SqliteDatabase database, ILogger<MinuteRollups> logger)
{
    public const long MinuteUs = 60_000_000;
    public const long HourUs = 60 * MinuteUs;

    public delegate void ReadRollup(long startUs, ReadOnlySpan<byte> stats);

    public static long MinuteOf(long us) => us / MinuteUs * MinuteUs;

    public static long HourOf(long us) => us / HourUs * HourUs;

    /// <summary>Adds a batch of calls inside the writer's transaction (so a retried batch is not counted twice).</summary>
    public static void Add(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<CallRecord> batch)
    {
        var minutes = new Dictionary<(long, string), MinuteStats>();
        var hours = new Dictionary<(long, string, string, string), MinuteStats>();
        foreach (var r in batch)
        {
            var us = r.StartTime.ToUnixTimeMilliseconds() * 1000;
            long? ttft = r.TimeToFirstToken is { } t ? t.Ticks / 10 : null;
            foreach (var stats in (MinuteStats[])[Of(minutes, (MinuteOf(us), r.ModelGroup ?? "")), Of(hours, (HourOf(us), r.ModelGroup ?? "", r.KeyId ?? "", r.Team ?? ""))])
            {
                stats.Add(r.Status, r.Usage.InputTokens, r.Usage.OutputTokens, r.Usage.CachedInputTokens, r.Usage.ReasoningTokens, r.CostNanoUsd, r.Latency.Ticks / 10, ttft, r.Cache, r.CostSavedNanoUsd);
            }
        }

        MergeMinutes(connection, transaction, minutes);
        MergeHours(connection, transaction, hours);
    }

    /// <summary>Builds the rollups from the calls when there are calls but no rollups (a store from before them, or seeded directly).</summary>
    public void BackfillIfEmpty()
    {
        using var connection = database.Open();
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "SELECT (EXISTS (SELECT 1 FROM call_minutes) AND EXISTS (SELECT 1 FROM call_hours)) OR NOT EXISTS (SELECT 1 FROM calls)";
            if ((long)check.ExecuteScalar()! == 1)
            {
                return;
            }
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var minutes = new Dictionary<(long, string), MinuteStats>();
        var hours = new Dictionary<(long, string, string, string), MinuteStats>();
        long calls = 0;
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT start_time_us, model_group, status, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_nanousd, latency_us, ttft_us, cache, cost_saved_nanousd, key_id, team FROM calls";
            using var r = read.ExecuteReader();
            while (r.Read())
            {
                var us = r.GetInt64(0);
                var group = r.IsDBNull(1) ? "" : r.GetString(1);
                foreach (var stats in (MinuteStats[])[Of(minutes, (MinuteOf(us), group)), Of(hours, (HourOf(us), group, r.IsDBNull(12) ? "" : r.GetString(12), r.IsDBNull(13) ? "" : r.GetString(13)))])
                {
                    stats.Add(r.GetInt32(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.IsDBNull(7) ? null : r.GetInt64(7), r.GetInt64(8), r.IsDBNull(9) ? null : r.GetInt64(9), r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetInt64(11));
                }

                calls++;
            }
        }

        using var transaction = connection.BeginTransaction();
        using (var clear = connection.CreateCommand())
        {
            clear.Transaction = transaction;
            clear.CommandText = "DELETE FROM call_minutes; DELETE FROM call_hours";
            clear.ExecuteNonQuery();
        }

        MergeMinutes(connection, transaction, minutes);
        MergeHours(connection, transaction, hours);
        transaction.Commit();
        Log.Backfilled(logger, calls, minutes.Count + hours.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Hands each minute in [<paramref name="fromUs"/>, <paramref name="toUs"/>), of one model group or all, to <paramref name="visit"/> still serialised.</summary>
    public void Read(long fromUs, long toUs, string? modelGroup, ReadRollup visit) =>
        Read("SELECT minute_us, stats FROM call_minutes WHERE minute_us >= $from AND minute_us < $to", MinuteOf(fromUs), toUs, [("model_group", modelGroup)], visit);

    /// <summary>Each hour's totals in the window, for one model group, key and team or any of them.</summary>
    public void ReadHours(long fromUs, long toUs, string? modelGroup, string? key, string? team, ReadRollup visit) =>
        Read("SELECT hour_us, stats FROM call_hours WHERE hour_us >= $from AND hour_us < $to", HourOf(fromUs), toUs, [("model_group", modelGroup), ("key_id", key), ("team", team)], visit);

    private void Read(string sql, long fromUs, long toUs, (string Column, string? Value)[] filters, ReadRollup visit)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$from", fromUs);
        command.Parameters.AddWithValue("$to", toUs);
        foreach (var (column, value) in filters)
        {
            if (value is not null)
            {
                sql += $" AND {column} = ${column}";
                command.Parameters.AddWithValue("$" + column, value);
            }
        }

        command.CommandText = sql;

        // GetValue, not GetBytes: Microsoft.Data.Sqlite's GetBytes goes through incremental blob I/O,
        // which measured 20 times slower here.
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            visit(reader.GetInt64(0), (byte[])reader.GetValue(1));
        }
    }

    private static MinuteStats Of<TKey>(Dictionary<TKey, MinuteStats> deltas, TKey key)
        where TKey : notnull
    {
        if (!deltas.TryGetValue(key, out var stats))
        {
            deltas[key] = stats = new MinuteStats();
        }

        return stats;
    }

    private static void MergeMinutes(SqliteConnection connection, SqliteTransaction transaction, Dictionary<(long Minute, string Group), MinuteStats> deltas) =>
        Merge(connection, transaction, "call_minutes", ["minute_us", "model_group"], deltas.Select(d => ((object[])[d.Key.Minute, d.Key.Group], d.Value)));

    private static void MergeHours(SqliteConnection connection, SqliteTransaction transaction, Dictionary<(long Hour, string Group, string Key, string Team), MinuteStats> deltas) =>
        Merge(connection, transaction, "call_hours", ["hour_us", "model_group", "key_id", "team"], deltas.Select(d => ((object[])[d.Key.Hour, d.Key.Group, d.Key.Key, d.Key.Team], d.Value)));

    /// <summary>Read-modify-write of each touched row: the histograms cannot be added up in SQL.</summary>
    private static void Merge(SqliteConnection connection, SqliteTransaction transaction, string table, string[] columns, IEnumerable<(object[] Key, MinuteStats Delta)> deltas)
    {
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = $"SELECT stats FROM {table} WHERE {string.Join(" AND ", columns.Select(c => $"{c} = ${c}"))}";
        var selectKey = columns.Select(c => select.Parameters.Add("$" + c, c.EndsWith("_us", StringComparison.Ordinal) ? SqliteType.Integer : SqliteType.Text)).ToArray();
        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = $"INSERT OR REPLACE INTO {table} ({string.Join(", ", columns)}, stats) VALUES ({string.Join(", ", columns.Select(c => "$" + c))}, $stats)";
        var upsertKey = columns.Select(c => upsert.Parameters.Add("$" + c, c.EndsWith("_us", StringComparison.Ordinal) ? SqliteType.Integer : SqliteType.Text)).ToArray();
        var upsertStats = upsert.Parameters.Add("$stats", SqliteType.Blob);
        foreach (var (key, delta) in deltas)
        {
            for (var i = 0; i < key.Length; i++)
            {
                selectKey[i].Value = key[i];
                upsertKey[i].Value = key[i];
            }

            var stats = select.ExecuteScalar() is byte[] existing ? MinuteStats.Deserialize(existing) : new MinuteStats();
            stats.Merge(delta);
            upsertStats.Value = stats.Serialize();
            upsert.ExecuteNonQuery();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Built the rollups of {Calls} recorded calls ({Rows} rows) in {Seconds:F1} s")]
        public static partial void Backfilled(ILogger logger, long calls, int rows, double seconds);
    }
}
