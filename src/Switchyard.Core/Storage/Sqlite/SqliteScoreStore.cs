using Switchyard.Tracing;

namespace Switchyard.Storage.Sqlite;

/// <summary>Scores in the <c>scores</c> table; the id is SQLite's row id.</summary>
internal sealed class SqliteScoreStore(SqliteDatabase database) : IScoreStore
{
    public async Task<long> AddAsync(NewScore score, TraceWriter writer, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO scores (trace_id, span_id, name, data_type, value, string_value, source, comment, user_id, created_us, key_id, team)
            VALUES ($trace, $span, $name, $type, $value, $string, $source, $comment, $user, $created, $key, $team) RETURNING id
            """;
        command.Parameters.AddWithValue("$trace", score.TraceId);
        command.Parameters.AddWithValue("$span", (object?)score.SpanId ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", score.Name);
        command.Parameters.AddWithValue("$type", score.DataType);
        command.Parameters.AddWithValue("$value", (object?)score.Value ?? DBNull.Value);
        command.Parameters.AddWithValue("$string", (object?)score.StringValue ?? DBNull.Value);
        command.Parameters.AddWithValue("$source", score.Source);
        command.Parameters.AddWithValue("$comment", (object?)score.Comment ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", (object?)score.User ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", createdAt.ToUnixTimeMilliseconds() * 1000);
        command.Parameters.AddWithValue("$key", writer.KeyId);
        command.Parameters.AddWithValue("$team", (object?)writer.Team ?? DBNull.Value);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
