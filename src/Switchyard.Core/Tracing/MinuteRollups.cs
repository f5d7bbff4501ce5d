using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchyard.Recording;
using Switchyard.Storage;

namespace Switchyard.Tracing;

/// <summary>
/// Per-minute, per-model-group totals of the recorded calls (<c>call_minutes</c>), kept by the recorder
/// in the same transaction as the calls themselves, trimmed by retention with them. The dashboard reads
/// them for views filtered at most by model group, so a week of a million calls is a few thousand rows.
/// </summary>
internal sealed partial class MinuteRollups(SqliteDatabase database, ILogger<MinuteRollups> logger)
{
    public const long MinuteUs = 60_000_000;

    public static long MinuteOf(long us) => us / MinuteUs * MinuteUs;

    /// <summary>Adds a batch of calls inside the writer's transaction (so a retried batch is not counted twice).</summary>
    public static void Add(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<CallRecord> batch)
    {
        var deltas = new Dictionary<(long, string), MinuteStats>();
        foreach (var r in batch)
        {
            var key = (MinuteOf(r.StartTime.ToUnixTimeMilliseconds() * 1000), r.ModelGroup ?? "");
            if (!deltas.TryGetValue(key, out var stats))
            {
                deltas[key] = stats = new MinuteStats();
            }

            stats.Add(r.Status, r.Usage.InputTokens, r.Usage.OutputTokens, r.Usage.CachedInputTokens, r.Usage.ReasoningTokens, r.CostNanoUsd, r.Latency.Ticks / 10, r.TimeToFirstToken is { } t ? t.Ticks / 10 : null, r.Cache, r.CostSavedNanoUsd);
        }

        Merge(connection, transaction, deltas);
    }

    /// <summary>Builds the rollups from the calls when there are calls but no rollups (a store from before them, or seeded directly).</summary>
    public void BackfillIfEmpty()
    {
        using var connection = database.Open();
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "SELECT EXISTS (SELECT 1 FROM call_minutes) OR NOT EXISTS (SELECT 1 FROM calls)";
            if ((long)check.ExecuteScalar()! == 1)
            {
                return;
            }
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var deltas = new Dictionary<(long, string), MinuteStats>();
        long calls = 0;
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT start_time_us, model_group, status, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_nanousd, latency_us, ttft_us, cache, cost_saved_nanousd FROM calls";
            using var r = read.ExecuteReader();
            while (r.Read())
            {
                var key = (MinuteOf(r.GetInt64(0)), r.IsDBNull(1) ? "" : r.GetString(1));
                if (!deltas.TryGetValue(key, out var stats))
                {
                    deltas[key] = stats = new MinuteStats();
                }

                stats.Add(r.GetInt32(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.IsDBNull(7) ? null : r.GetInt64(7), r.GetInt64(8), r.IsDBNull(9) ? null : r.GetInt64(9), r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetInt64(11));
                calls++;
            }
        }

        using var transaction = connection.BeginTransaction();
        Merge(connection, transaction, deltas);
        transaction.Commit();
        Log.Backfilled(logger, calls, deltas.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Hands each minute in [<paramref name="fromUs"/>, <paramref name="toUs"/>), of one model group or all, to <paramref name="visit"/> still serialised.</summary>
    public void Read(long fromUs, long toUs, string? modelGroup, ReadMinute visit)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT minute_us, stats FROM call_minutes WHERE minute_us >= $from AND minute_us < $to" + (modelGroup is null ? "" : " AND model_group = $group");
        command.Parameters.AddWithValue("$from", MinuteOf(fromUs));
        command.Parameters.AddWithValue("$to", toUs);
        if (modelGroup is not null)
        {
            command.Parameters.AddWithValue("$group", modelGroup);
        }

        // GetValue, not GetBytes: Microsoft.Data.Sqlite's GetBytes goes through incremental blob I/O,
        // which measured 20 times slower here.
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            visit(reader.GetInt64(0), (byte[])reader.GetValue(1));
        }
    }

    public delegate void ReadMinute(long minuteUs, ReadOnlySpan<byte> stats);

    private static void Merge(SqliteConnection connection, SqliteTransaction transaction, Dictionary<(long Minute, string Group), MinuteStats> deltas)
    {
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT stats FROM call_minutes WHERE minute_us = $m AND model_group = $g";
        var selectMinute = select.Parameters.Add("$m", SqliteType.Integer);
        var selectGroup = select.Parameters.Add("$g", SqliteType.Text);
        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = "INSERT OR REPLACE INTO call_minutes (minute_us, model_group, stats) VALUES ($m, $g, $s)";
        var upsertMinute = upsert.Parameters.Add("$m", SqliteType.Integer);
        var upsertGroup = upsert.Parameters.Add("$g", SqliteType.Text);
        var upsertStats = upsert.Parameters.Add("$s", SqliteType.Blob);
        foreach (var ((minute, group), delta) in deltas)
        {
            selectMinute.Value = minute;
            selectGroup.Value = group;
            var stats = select.ExecuteScalar() is byte[] existing ? MinuteStats.Deserialize(existing) : new MinuteStats();
            stats.Merge(delta);
            upsertMinute.Value = minute;
            upsertGroup.Value = group;
            upsertStats.Value = stats.Serialize();
            upsert.ExecuteNonQuery();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Built the per-minute rollups of {Calls} recorded calls ({Rows} rows) in {Seconds:F1} s")]
        public static partial void Backfilled(ILogger logger, long calls, int rows, double seconds);
    }
}
