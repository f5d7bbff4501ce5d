using Switchyard.Spend;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Spend;

/// <summary>The spend-store contract on SQLite.</summary>
public sealed class SqliteSpendStoreTests : SpendStoreContract
{
    private SqliteDatabase? _database;

    internal override ISpendStore CreateStore() => new SqliteSpendStore(_database = SqliteTestDatabase.Create());

    internal override ISpendStore OpenAnother() => new SqliteSpendStore(_database!);
}
