using Switchyard.Dashboard.Sessions;

namespace Switchyard.Storage.Sqlite;

/// <summary>Dashboard sessions in the embedded database (table <c>ui_sessions</c>), times in microseconds since the epoch.</summary>
internal sealed class SqliteDashboardSessionStore(SqliteDatabase database) : IDashboardSessionStore
{
    public Task CreateAsync(DashboardSession session, CancellationToken cancellationToken)
    {
        Execute(
            "INSERT INTO ui_sessions (id_hash, subject, created_us, last_seen_us, expires_us) VALUES ($id, $subject, $created, $seen, $expires)",
            ("$id", session.IdHash), ("$subject", session.Subject), ("$created", Us(session.CreatedAt)), ("$seen", Us(session.LastSeenAt)), ("$expires", Us(session.ExpiresAt)));
        return Task.CompletedTask;
    }

    public Task<DashboardSession?> FindAsync(string idHash, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT subject, created_us, last_seen_us, expires_us FROM ui_sessions WHERE id_hash = $id";
        command.Parameters.AddWithValue("$id", idHash);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read()
            ? new DashboardSession(idHash, reader.GetString(0), Time(reader.GetInt64(1)), Time(reader.GetInt64(2)), Time(reader.GetInt64(3)))
            : null);
    }

    public Task TouchAsync(string idHash, DateTimeOffset lastSeenAt, CancellationToken cancellationToken)
    {
        Execute("UPDATE ui_sessions SET last_seen_us = MAX(last_seen_us, $seen) WHERE id_hash = $id", ("$id", idHash), ("$seen", Us(lastSeenAt)));
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string idHash, CancellationToken cancellationToken)
    {
        Execute("DELETE FROM ui_sessions WHERE id_hash = $id", ("$id", idHash));
        return Task.CompletedTask;
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, DateTimeOffset idleBefore, CancellationToken cancellationToken) =>
        Task.FromResult(Execute("DELETE FROM ui_sessions WHERE expires_us <= $now OR last_seen_us < $idle", ("$now", Us(now)), ("$idle", Us(idleBefore))));

    private int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    private static long Us(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1000;

    private static DateTimeOffset Time(long us) => DateTimeOffset.FromUnixTimeMilliseconds(us / 1000);
}
