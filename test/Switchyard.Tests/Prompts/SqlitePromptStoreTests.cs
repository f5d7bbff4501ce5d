using Switchyard.Prompts;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Prompts;

/// <summary>The prompt-store contract on SQLite.</summary>
public sealed class SqlitePromptStoreTests : PromptStoreContract
{
    private SqliteDatabase? _database;

    internal override IPromptStore CreateStore() => new SqlitePromptStore(_database = SqliteTestDatabase.Create());

    internal override IPromptStore OpenAnother() => new SqlitePromptStore(_database!);
}
