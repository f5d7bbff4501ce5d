using Switchyard.Storage;

namespace Switchyard.Tests.TestUtilities;

/// <summary>A fresh, migrated database file in its own temporary directory, for the store contract suites.</summary>
internal static class SqliteTestDatabase
{
    public static SqliteDatabase Create()
    {
        var database = new SqliteDatabase(TestGateway.NewDataDirectory());
        database.Migrate();
        return database;
    }
}
