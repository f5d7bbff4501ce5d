using Switchyard.Recording;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Telemetry;
using Switchyard.Tests.TestUtilities;
using Switchyard.Tracing;

namespace Switchyard.Tests.Tracing;

/// <summary>The trace-reader contract on SQLite.</summary>
public sealed class SqliteTraceReaderTests : TraceReaderContract
{
    private SqliteDatabase? _database;

    internal override ITraceReader CreateReader() => new SqliteTraceReader(_database = SqliteTestDatabase.Create());

    internal override ICallRecordStore Calls() => new SqliteCallRecordStore(_database!);

    internal override ISpanStore Spans() => new SqliteSpanStore(_database!);

    internal override IScoreStore Scores() => new SqliteScoreStore(_database!);
}
