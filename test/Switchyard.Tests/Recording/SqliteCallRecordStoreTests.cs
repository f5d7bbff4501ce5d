using Microsoft.Extensions.Logging.Abstractions;
using Switchyard.Recording;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;
using Switchyard.Tracing;
using Xunit;

namespace Switchyard.Tests.Recording;

/// <summary>The call-record-store contract on SQLite.</summary>
public sealed class SqliteCallRecordStoreTests : CallRecordStoreContract
{
    private SqliteDatabase? _database;

    internal override ICallRecordStore CreateStore() => new SqliteCallRecordStore(_database = SqliteTestDatabase.Create());

    internal override ICallRecordStore OpenAnother() => new SqliteCallRecordStore(_database!);

    internal override IRollupStore Rollups() => new SqliteRollupStore(_database!, NullLogger<SqliteRollupStore>.Instance);

    internal override async Task<IReadOnlyList<StoredCallView>> ReadBackAsync()
    {
        await using var connection = await _database!.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.id, c.trace_id, c.status, c.model_group, c.key_id, c.team, c.cost_nanousd, c.request_content, c.response_content, c.attempts,
                   (SELECT group_concat(t.tag, ',') FROM call_tags t WHERE t.call_id = c.id)
            FROM calls c ORDER BY c.id
            """;
        var calls = new List<StoredCallView>();
        await using var r = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            calls.Add(new StoredCallView(
                r.GetInt64(0), r.GetString(1), r.GetInt32(2), Text(r, 3), Text(r, 4), Text(r, 5), r.IsDBNull(6) ? null : r.GetInt64(6), Text(r, 7), Text(r, 8), r.GetString(9),
                Text(r, 10)?.Split(',').Order(StringComparer.Ordinal).ToArray() ?? []));
        }

        return calls;

        static string? Text(Microsoft.Data.Sqlite.SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    }
}
