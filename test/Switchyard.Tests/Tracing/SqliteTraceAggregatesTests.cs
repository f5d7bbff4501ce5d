using Microsoft.Extensions.Logging.Abstractions;
using Switchyard.Recording;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;
using Switchyard.Tracing;

namespace Switchyard.Tests.Tracing;

/// <summary>The trace-aggregates contract on SQLite.</summary>
public sealed class SqliteTraceAggregatesTests : TraceAggregatesContract
{
    private SqliteDatabase? _database;

    internal override ITraceAggregates CreateAggregates(TimeProvider time)
    {
        _database = SqliteTestDatabase.Create();
        return new SqliteTraceAggregates(_database, time, new SqliteRollupStore(_database, NullLogger<SqliteRollupStore>.Instance));
    }

    internal override ICallRecordStore Calls() => new SqliteCallRecordStore(_database!);

    internal override IScoreStore Scores() => new SqliteScoreStore(_database!);
}
