using Switchyard.Recording;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Telemetry;
using Switchyard.Tests.TestUtilities;
using Switchyard.Tracing;

namespace Switchyard.Tests.Tracing;

/// <summary>The trace-ownership contract on SQLite.</summary>
public sealed class SqliteTraceOwnershipTests : TraceOwnershipContract
{
    private SqliteDatabase? _database;

    internal override ITraceOwnership CreateOwnership() => new SqliteTraceOwnership(_database = SqliteTestDatabase.Create());

    internal override ICallRecordStore Calls() => new SqliteCallRecordStore(_database!);

    internal override ISpanStore Spans() => new SqliteSpanStore(_database!);
}
