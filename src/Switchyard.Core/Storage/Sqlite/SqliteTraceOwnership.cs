using Microsoft.Data.Sqlite;
using Switchyard.Tracing;

namespace Switchyard.Storage.Sqlite;

/// <summary>Trace ownership from the writers recorded on <c>calls</c> and <c>spans</c> (key id and team).</summary>
internal sealed class SqliteTraceOwnership(SqliteDatabase database) : ITraceOwnership
{
    public async Task<IReadOnlySet<string>> RefusedAsync(IReadOnlyCollection<string> traceIds, TraceWriter writer, CancellationToken cancellationToken)
    {
        var refused = new HashSet<string>(StringComparer.Ordinal);
        if (writer.Reach.WritesEverything || traceIds.Count == 0)
        {
            return refused;
        }

        var (column, owner) = writer.Team is { } team ? ("team", team) : ("key_id", writer.KeyId);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT EXISTS(SELECT 1 FROM calls WHERE trace_id = $t) OR EXISTS(SELECT 1 FROM spans WHERE trace_id = $t),
                   EXISTS(SELECT 1 FROM calls WHERE trace_id = $t AND {column} = $owner) OR EXISTS(SELECT 1 FROM spans WHERE trace_id = $t AND {column} = $owner)
            """;
        var id = command.Parameters.Add("$t", SqliteType.Text);
        command.Parameters.AddWithValue("$owner", owner);
        foreach (var traceId in traceIds)
        {
            id.Value = traceId;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetBoolean(0) && !reader.GetBoolean(1))
            {
                refused.Add(traceId);
            }
        }

        return refused;
    }
}
