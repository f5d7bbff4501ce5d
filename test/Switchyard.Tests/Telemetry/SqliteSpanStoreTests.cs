using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Telemetry;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Telemetry;

/// <summary>The span-store contract on SQLite.</summary>
public sealed class SqliteSpanStoreTests : SpanStoreContract
{
    private SqliteDatabase? _database;

    internal override ISpanStore CreateStore() => new SqliteSpanStore(_database = SqliteTestDatabase.Create());

    internal override ISpanStore OpenAnother() => new SqliteSpanStore(_database!);

    internal override async Task<IReadOnlyList<(string TraceId, string SpanId, string? Parent, long? Cost, string Attributes, string? Events, string? Team)>> ReadBackAsync()
    {
        await using var connection = await _database!.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT trace_id, span_id, parent_span_id, cost_nanousd, attributes, events, team FROM spans ORDER BY id";
        var spans = new List<(string, string, string?, long?, string, string?, string?)>();
        await using var r = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            spans.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
        }

        return spans;
    }
}
