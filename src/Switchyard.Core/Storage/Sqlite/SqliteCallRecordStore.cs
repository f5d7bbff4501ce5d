using Switchyard.Recording;

namespace Switchyard.Storage.Sqlite;

/// <summary>Recorded calls in the <c>calls</c> and <c>call_tags</c> tables, with the rollups in the same transaction.</summary>
internal sealed class SqliteCallRecordStore(SqliteDatabase database) : ICallRecordStore
{
    public ValueTask<ICallRecordSession> OpenSessionAsync(CancellationToken cancellationToken) => ValueTask.FromResult<ICallRecordSession>(new SqliteCallRecordSession(database.Open()));
}
