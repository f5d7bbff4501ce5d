using Switchyard.Guardrails;
using Switchyard.Recording;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Guardrails;

/// <summary>The guardrail-reader contract on SQLite.</summary>
public sealed class SqliteGuardrailReaderTests : GuardrailReaderContract
{
    private SqliteDatabase? _database;

    internal override IGuardrailReader CreateReader() => new SqliteGuardrailReader(_database = SqliteTestDatabase.Create());

    internal override ICallRecordStore Calls() => new SqliteCallRecordStore(_database!);
}
