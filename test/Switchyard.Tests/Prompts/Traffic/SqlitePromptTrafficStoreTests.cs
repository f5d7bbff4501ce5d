using Switchyard.Prompts.Traffic;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Prompts.Traffic;

/// <summary>The prompt-traffic-store contract on SQLite.</summary>
public sealed class SqlitePromptTrafficStoreTests : PromptTrafficStoreContract
{
    private SqliteDatabase? _database;

    internal override IPromptTrafficStore CreateStore() => new SqlitePromptTrafficStore(_database = SqliteTestDatabase.Create());

    internal override IPromptTrafficStore OpenAnother() => new SqlitePromptTrafficStore(_database!);
}
