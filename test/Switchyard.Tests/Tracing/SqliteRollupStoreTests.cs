using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;
using Switchyard.Tracing;

namespace Switchyard.Tests.Tracing;

/// <summary>The rollup-store contract on SQLite.</summary>
public sealed class SqliteRollupStoreTests : RollupStoreContract
{
    private SqliteDatabase? _database;

    internal override IRollupStore CreateStore() => new SqliteRollupStore(_database = SqliteTestDatabase.Create(), NullLogger<SqliteRollupStore>.Instance);

    internal override IRollupStore OpenAnother() => new SqliteRollupStore(_database!, NullLogger<SqliteRollupStore>.Instance);

    [Fact]
    public async Task Migration_11_keeps_the_rollups_written_one_row_per_minute()
    {
        var database = new SqliteDatabase(TestGateway.NewDataDirectory());
        var minute = new MinuteStats();
        minute.Add(200, 10, 5, 0, 0, 1000, 200_000, null, null, null);
        using (var connection = database.Open())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (10);"
                + string.Join(";", Migrations.All.Take(10))
                + "; INSERT INTO call_minutes VALUES (60000000, 'gpt', $stats); INSERT INTO call_hours VALUES (0, 'gpt', 'k1', 't1', $stats)";
            command.Parameters.AddWithValue("$stats", minute.Serialize());
            command.ExecuteNonQuery();
        }

        database.Migrate();
        var store = new SqliteRollupStore(database, NullLogger<SqliteRollupStore>.Instance);
        await store.AddAsync([], TestContext.Current.CancellationToken);
        var minutes = await store.ReadMinutesAsync(0, MinuteRollups.HourUs, "gpt", TestContext.Current.CancellationToken);
        Assert.Equal(60_000_000, Assert.Single(minutes).StartUs);
        Assert.Equal(1, MinuteStats.Deserialize(minutes[0].Stats).Requests);
        var hours = await store.ReadHoursAsync(0, MinuteRollups.HourUs, "gpt", "k1", "t1", TestContext.Current.CancellationToken);
        Assert.Equal(1000, MinuteStats.Deserialize(Assert.Single(hours).Stats).CostNanoUsd);
    }
}
