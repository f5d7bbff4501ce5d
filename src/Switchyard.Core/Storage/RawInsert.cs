using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Switchyard.Storage;

/// <summary>
/// A prepared statement bound and stepped through SQLitePCL directly, for the writers that insert tens
/// of thousands of rows a second. Microsoft.Data.Sqlite allocates a binder object per parameter per
/// execution, boxes every number and copies every string to a new UTF-8 array: on the call writer
/// that was the largest source of garbage in the whole process (docs/benchmarks.md). Runs inside the
/// connection's current transaction. Not thread-safe: one writer thread owns it.
/// </summary>
internal sealed class RawInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private byte[] _scratch = new byte[1024];

    public RawInsert(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>Binds a parameter by its 1-based position.</summary>
    public void Null(int index) => Check(raw.sqlite3_bind_null(_statement, index));

    public void Integer(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Integer(int index, long? value)
    {
        if (value is { } v)
        {
            Integer(index, v);
        }
        else
        {
            Null(index);
        }
    }

    public void Real(int index, double? value) =>
        Check(value is { } v ? raw.sqlite3_bind_double(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    public void Text(int index, string? value)
    {
        if (value is null)
        {
            Null(index);
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > _scratch.Length)
        {
            _scratch = new byte[Math.Max(max, _scratch.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _scratch);
        Utf8(index, _scratch.AsSpan(0, length));
    }

    /// <summary>Text already in UTF-8 (SQLite copies it).</summary>
    public void Utf8(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_text(_statement, index, value));

    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }
    }

    /// <summary>The row id SQLite gave the row the last <see cref="Execute"/> inserted on this connection.</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string() ?? $"SQLite error {rc}", rc, raw.sqlite3_extended_errcode(_db));
        }
    }
}
