using Microsoft.Extensions.Logging.Abstractions;
using Switchyard.Recording;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Telemetry;
using Switchyard.Tests.TestUtilities;
using Switchyard.Tracing;

namespace Switchyard.Tests.Tracing;

/// <summary>The trace-retention contract on SQLite.</summary>
public sealed class SqliteTraceRetentionTests : TraceRetentionContract
{
    private SqliteDatabase? _database;

    internal override ITraceRetention CreateRetention() => new SqliteTraceRetention(_database = SqliteTestDatabase.Create());

    internal override ICallRecordStore Calls() => new SqliteCallRecordStore(_database!);

    internal override ISpanStore Spans() => new SqliteSpanStore(_database!);

    internal override IScoreStore Scores() => new SqliteScoreStore(_database!);

    internal override ITraceReader Reader() => new SqliteTraceReader(_database!);

    internal override IRollupStore Rollups() => new SqliteRollupStore(_database!, NullLogger<SqliteRollupStore>.Instance);
}
