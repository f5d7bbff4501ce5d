using Microsoft.Data.Sqlite;
using Switchyard.Limits;
using Switchyard.Spend.Alerts;
using static Switchyard.Spend.Alerts.AlertTime;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The alert log in <c>spend_alerts</c>. Its unique index on subject, window and threshold is the last
/// word on "once per window": an alert whose insert is ignored was already fired, by this process or by
/// another, and is not delivered again.
/// </summary>
internal sealed class SqliteAlertStore(SqliteDatabase database) : IAlertStore
{
    private const string Columns = "id, subject_kind, subject_id, window_kind, window_start_us, window_end_us, threshold, budget_nanousd, spent_nanousd, mode, fired_us";

    public async Task<long?> TryInsertAsync(FiredAlert alert, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
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
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }

    public async Task SetDeliveryAsync(long id, string status, int attempts, string? error, DateTimeOffset? deliveredAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
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
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<(FiredAlertKey Key, long WindowEndUs)>> LoadFiredAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM spend_alerts WHERE window_end_us IS NULL OR window_end_us > $cut";
        command.Parameters.AddWithValue("$cut", ToUs(endedBefore));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<(FiredAlertKey, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var alert = Read(reader);
            result.Add((alert.Key, alert.Window.End is { } end ? ToUs(end) : long.MaxValue));
        }

        return result;
    }

    public async Task<IReadOnlyList<FiredAlert>> PendingAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM spend_alerts WHERE delivery_status = $pending ORDER BY id LIMIT $limit";
        command.Parameters.AddWithValue("$pending", AlertNames.Pending);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<FiredAlert>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(Read(reader));
        }

        return result;
    }

    public async Task<IReadOnlyList<StoredAlert>> ListAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
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
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<StoredAlert>();
        while (await reader.ReadAsync(cancellationToken))
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
