using Switchyard.Evaluation.Datasets;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Evaluation;

/// <summary>The dataset-store contract on SQLite.</summary>
public sealed class SqliteDatasetStoreTests : DatasetStoreContract
{
    private SqliteDatabase? _database;

    internal override IDatasetStore CreateStore() => new SqliteDatasetStore(_database = SqliteTestDatabase.Create());

    internal override IDatasetStore OpenAnother() => new SqliteDatasetStore(_database!);
}
