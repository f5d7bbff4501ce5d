using Switchyard.Spend.Alerts;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Spend;

/// <summary>The alert-store contract on SQLite.</summary>
public sealed class SqliteAlertStoreTests : AlertStoreContract
{
    private SqliteDatabase? _database;

    internal override IAlertStore CreateStore() => new SqliteAlertStore(_database = SqliteTestDatabase.Create());

    internal override IAlertStore OpenAnother() => new SqliteAlertStore(_database!);
}
