using Switchyard.Storage;

namespace Switchyard.Tracing;

/// <summary>
/// Whether a key may add spans or scores to a trace: yes when the trace holds a call or span of the
/// key's team (of the key itself, for a key without a team), or holds nothing yet, which is how a new
/// trace starts. A trace of another team is answered as if it did not exist.
/// </summary>
/// <remarks>
/// Gateway calls and spans are written in the background, so a score sent at once after its call may
/// find the trace still empty: it is accepted and carries its writer's team, so another team's reader
/// never sees it. Trace ids are 128 random bits, so a trace cannot be claimed before it exists.
/// </remarks>
internal sealed class TraceOwnership(SqliteDatabase database)
{
    public bool MayWrite(string traceId, TraceWriter writer) =>
        writer.Reach.WritesEverything || Refused([traceId], writer).Count == 0;

    /// <summary>The trace ids, of those given, that <paramref name="writer"/> may not write to.</summary>
    public HashSet<string> Refused(IReadOnlyCollection<string> traceIds, TraceWriter writer)
    {
        var refused = new HashSet<string>(StringComparer.Ordinal);
        if (writer.Reach.WritesEverything || traceIds.Count == 0)
        {
            return refused;
        }

        var (column, owner) = writer.Team is { } team ? ("team", team) : ("key_id", writer.KeyId);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT EXISTS(SELECT 1 FROM calls WHERE trace_id = $t) OR EXISTS(SELECT 1 FROM spans WHERE trace_id = $t),
                   EXISTS(SELECT 1 FROM calls WHERE trace_id = $t AND {column} = $owner) OR EXISTS(SELECT 1 FROM spans WHERE trace_id = $t AND {column} = $owner)
            """;
        var id = command.Parameters.Add("$t", Microsoft.Data.Sqlite.SqliteType.Text);
        command.Parameters.AddWithValue("$owner", owner);
        foreach (var traceId in traceIds)
        {
            id.Value = traceId;
            using var reader = command.ExecuteReader();
            reader.Read();
            if (reader.GetBoolean(0) && !reader.GetBoolean(1))
            {
                refused.Add(traceId);
            }
        }

        return refused;
    }
}
