using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Storage;

/// <summary>The storage health contract on SQLite.</summary>
public sealed class SqliteStorageHealthTests : StorageHealthContract
{
    protected override string ExpectedKind => "sqlite";

    internal override IStorageHealth CreateHealthy() => new SqliteStorageHealth(SqliteTestDatabase.Create());

    internal override IStorageHealth CreateUnreachable()
    {
        // Never opened, so no pooled connection outlives its directory.
        var directory = TestGateway.NewDataDirectory();
        var database = new SqliteDatabase(directory);
        Directory.Delete(directory, recursive: true);
        return new SqliteStorageHealth(database);
    }
}
