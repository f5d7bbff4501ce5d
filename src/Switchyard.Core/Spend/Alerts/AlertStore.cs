using Microsoft.Data.Sqlite;
using Switchyard.Limits;
using Switchyard.Storage;

namespace Switchyard.Spend.Alerts;

/// <summary>
/// The alert log in SQLite (<c>spend_alerts</c>). Its unique index on subject, window and threshold is
/// the last word on "once per window": an alert whose insert is ignored was already fired, by this
/// process or by an earlier one, and is not delivered again.
/// </summary>
internal sealed class AlertStore(SqliteDatabase database)
{
    private const string Columns = "id, subject_kind, subject_id, window_kind, window_start_us, window_end_us, threshold, budget_nanousd, spent_nanousd, mode, fired_us";

    public static long ToUs(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromUs(long us) => new(DateTimeOffset.UnixEpoch.UtcTicks + (us * 10), TimeSpan.Zero);

    /// <summary>Stores a new alert as pending; returns its id, or null when it was already stored.</summary>
    public long? TryInsert(FiredAlert alert)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO spend_alerts (subject_kind, subject_id, window_kind, window_start_us, window_end_us, threshold,
                                      budget_nanousd, spent_nanousd, mode, fired_us, delivery_status)
            VALUES ($kind, $id, $wkind, $wstart, $wend, $threshold, $budget, $spent, $mode, $fired, $status)
            ON CONFLICT DO NOTHING
            RETURNING id
            """;
        command.Parameters.AddWithValue("$kind", AlertNames.Of(alert.Kind));
        command.Parameters.AddWithValue("$id", alert.SubjectId);
        command.Parameters.AddWithValue("$wkind", AlertNames.Of(alert.Window.Kind));
        command.Parameters.AddWithValue("$wstart", ToUs(alert.Window.Start));
        command.Parameters.AddWithValue("$wend", alert.Window.End is { } end ? ToUs(end) : DBNull.Value);
        command.Parameters.AddWithValue("$threshold", alert.Threshold);
        command.Parameters.AddWithValue("$budget", alert.BudgetNanoUsd);
        command.Parameters.AddWithValue("$spent", alert.SpentNanoUsd);
        command.Parameters.AddWithValue("$mode", AlertNames.Of(alert.Mode));
        command.Parameters.AddWithValue("$fired", ToUs(alert.FiredAt));
        command.Parameters.AddWithValue("$status", AlertNames.Pending);
        return command.ExecuteScalar() is long id ? id : null;
    }

    public void SetDelivery(long id, string status, int attempts, string? error, DateTimeOffset? deliveredAt)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE spend_alerts
            SET delivery_status = $status, delivery_attempts = delivery_attempts + $attempts, delivery_error = $error, delivered_us = $delivered
            WHERE id = $id
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("$delivered", deliveredAt is { } at ? ToUs(at) : DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>The keys of alerts whose window has not ended before <paramref name="endedBeforeUs"/> (total windows never end), with the window end.</summary>
    public List<(FiredAlertKey Key, long WindowEndUs)> LoadFired(long endedBeforeUs)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM spend_alerts WHERE window_end_us IS NULL OR window_end_us > $cut";
        command.Parameters.AddWithValue("$cut", endedBeforeUs);
        using var reader = command.ExecuteReader();
        var result = new List<(FiredAlertKey, long)>();
        while (reader.Read())
        {
            var alert = Read(reader);
            result.Add((alert.Key, alert.Window.End is { } end ? ToUs(end) : long.MaxValue));
        }

        return result;
    }

    /// <summary>Alerts stored but not delivered, oldest first: the process stopped while they were on their way.</summary>
    public List<FiredAlert> Pending(int limit)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM spend_alerts WHERE delivery_status = $pending ORDER BY id LIMIT $limit";
        command.Parameters.AddWithValue("$pending", AlertNames.Pending);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var result = new List<FiredAlert>();
        while (reader.Read())
        {
            result.Add(Read(reader));
        }

        return result;
    }

    /// <summary>Alerts newest first, filtered.</summary>
    public List<StoredAlert> List(AlertQuery query)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Kind is { } kind)
        {
            where.Add("subject_kind = $kind");
            command.Parameters.AddWithValue("$kind", AlertNames.Of(kind));
        }

        if (query.SubjectId is { } subject)
        {
            where.Add("subject_id = $subject");
            command.Parameters.AddWithValue("$subject", subject);
        }

        if (query.FromUs is { } from)
        {
            where.Add("fired_us >= $from");
            command.Parameters.AddWithValue("$from", from);
        }

        if (query.ToUs is { } to)
        {
            where.Add("fired_us < $to");
            command.Parameters.AddWithValue("$to", to);
        }

        command.CommandText = $"""
            SELECT {Columns}, delivery_status, delivery_attempts, delivery_error, delivered_us
            FROM spend_alerts {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
            ORDER BY fired_us DESC, id DESC
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", query.Limit);
        using var reader = command.ExecuteReader();
        var result = new List<StoredAlert>();
        while (reader.Read())
        {
            result.Add(new StoredAlert(
                Read(reader),
                reader.GetString(11),
                reader.GetInt32(12),
                reader.IsDBNull(13) ? null : reader.GetString(13),
                reader.IsDBNull(14) ? null : FromUs(reader.GetInt64(14))));
        }

        return result;
    }

    private static FiredAlert Read(SqliteDataReader r) => new(
        AlertNames.SubjectKindOf(r.GetString(1)),
        r.GetString(2),
        new BudgetWindow(AlertNames.WindowKindOf(r.GetString(3)), FromUs(r.GetInt64(4)), r.IsDBNull(5) ? null : FromUs(r.GetInt64(5))),
        r.GetDouble(6),
        r.GetInt64(7),
        r.GetInt64(8),
        AlertNames.ModeOf(r.GetString(9)),
        FromUs(r.GetInt64(10)),
        r.GetInt64(0));
}
