using Microsoft.Data.Sqlite;
using Switchyard.Guardrails;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// <see cref="IGuardrailReader"/> over the <c>calls</c> table: each call's verdicts are a JSON array,
/// expanded with <c>json_each</c> within the time range the <c>start_time_us</c> index narrows.
/// </summary>
internal sealed class SqliteGuardrailReader(SqliteDatabase database) : IGuardrailReader
{
    private const string Verdicts = """
        FROM calls c, json_each(c.guardrails) g
        WHERE c.guardrails IS NOT NULL AND c.start_time_us >= $from AND c.start_time_us < $to AND ($team IS NULL OR c.team = $team)
        """;

    public async Task<IReadOnlyList<GuardrailBucket>> TriggersAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, Identity.Reach reach, CancellationToken cancellationToken)
    {
        var bucketUs = Math.Max(1, bucket.Ticks / 10);
        var rows = new List<GuardrailBucket>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"""
            SELECT (c.start_time_us / $bucket) * $bucket AS b, json_extract(g.value, '$.guard') AS guard, json_extract(g.value, '$.direction') AS direction,
                   COUNT(*), SUM(json_extract(g.value, '$.verdict') = 'fired'), SUM(json_extract(g.value, '$.action') = 'block')
            {Verdicts}
            GROUP BY b, guard, direction ORDER BY b, guard, direction
            """, from, to, reach);
        command.Parameters.AddWithValue("$bucket", bucketUs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new GuardrailBucket(Time(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<GuardrailSubject>> TopAsync(DateTimeOffset from, DateTimeOffset to, string by, int limit, Identity.Reach reach, CancellationToken cancellationToken)
    {
        var column = by switch
        {
            "key" => "c.key_id",
            "user" => "c.user_id",
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, "key or user"),
        };
        var rows = new List<GuardrailSubject>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"""
            SELECT {column}, SUM(json_extract(g.value, '$.verdict') = 'fired') AS fired, COUNT(DISTINCT c.id)
            {Verdicts} AND {column} IS NOT NULL
            GROUP BY {column} HAVING fired > 0 ORDER BY fired DESC, {column} LIMIT $limit
            """, from, to, reach);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new GuardrailSubject(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<BlockedCall>> BlockedAsync(DateTimeOffset from, DateTimeOffset to, int limit, Identity.Reach reach, CancellationToken cancellationToken)
    {
        var rows = new List<BlockedCall>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"""
            SELECT c.trace_id, c.start_time_us, json_extract(g.value, '$.guard'), json_extract(g.value, '$.direction'), c.model_group, c.key_id, c.user_id
            {Verdicts} AND json_extract(g.value, '$.action') = 'block'
            ORDER BY c.start_time_us DESC, c.id DESC LIMIT $limit
            """, from, to, reach);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new BlockedCall(reader.GetString(0), Time(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, DateTimeOffset from, DateTimeOffset to, Identity.Reach reach)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds() * 1000);
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds() * 1000);
        command.Parameters.AddWithValue("$team", (object?)reach.Team ?? DBNull.Value);
        return command;
    }

    private static DateTimeOffset Time(long unixMicroseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMicroseconds / 1000);
}
