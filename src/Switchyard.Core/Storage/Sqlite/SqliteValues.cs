using Microsoft.Data.Sqlite;

namespace Switchyard.Storage.Sqlite;

/// <summary>How the SQLite stores write times (microseconds since the Unix epoch) and read nullable columns.</summary>
internal static class SqliteValues
{
    public static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static object Micros(DateTimeOffset? time) => time is { } t ? Micros(t) : DBNull.Value;

    public static DateTimeOffset Time(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    public static DateTimeOffset? NullableTime(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : Time(r.GetInt64(i));

    public static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static object OrNull(object? value) => value ?? DBNull.Value;
}
