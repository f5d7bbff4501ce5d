using Switchyard.Identity;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Identity;

/// <summary>The identity-store contract on SQLite.</summary>
public sealed class SqliteIdentityStoreTests : IdentityStoreContract
{
    private SqliteDatabase? _database;

    internal override IIdentityStore CreateStore() => new SqliteIdentityStore(_database = SqliteTestDatabase.Create());

    internal override IIdentityStore OpenAnother() => new SqliteIdentityStore(_database!);
}
