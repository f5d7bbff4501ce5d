using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;
using Switchyard.Tracing;
using Xunit;

namespace Switchyard.Tests.Tracing;

/// <summary>The score-store contract on SQLite.</summary>
public sealed class SqliteScoreStoreTests : ScoreStoreContract
{
    private SqliteDatabase? _database;

    internal override IScoreStore CreateStore() => new SqliteScoreStore(_database = SqliteTestDatabase.Create());

    internal override IScoreStore OpenAnother() => new SqliteScoreStore(_database!);

    internal override async Task<IReadOnlyList<(long Id, NewScore Score, string KeyId, string? Team, DateTimeOffset CreatedAt)>> ReadBackAsync()
    {
        await using var connection = await _database!.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, trace_id, span_id, name, data_type, value, string_value, source, comment, user_id, key_id, team, created_us FROM scores ORDER BY id";
        var scores = new List<(long, NewScore, string, string?, DateTimeOffset)>();
        await using var r = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            var score = new NewScore(r.GetString(1), Text(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetDouble(5), Text(6), r.GetString(7), Text(8), Text(9));
            scores.Add((r.GetInt64(0), score, r.GetString(10), Text(11), DateTimeOffset.UnixEpoch.AddTicks(r.GetInt64(12) * 10)));
        }

        return scores;
    }
}
