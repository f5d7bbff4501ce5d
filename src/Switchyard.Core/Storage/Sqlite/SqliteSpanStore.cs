using Microsoft.Data.Sqlite;
using Switchyard.Telemetry;

namespace Switchyard.Storage.Sqlite;

/// <summary>Ingested spans in the <c>spans</c> table, one transaction and one prepared insert per batch.</summary>
internal sealed class SqliteSpanStore(SqliteDatabase database) : ISpanStore
{
    private static readonly string[] s_columns =
    [
        "trace_id", "span_id", "parent_span_id", "name", "kind", "type", "service", "start_time_us", "end_time_us", "status_code", "status_message",
        "model", "provider", "input_tokens", "output_tokens", "cost_nanousd", "user_id", "session_id", "input", "output", "attributes", "events", "key_id", "team",
    ];

    public async Task WriteAsync(IReadOnlyList<PreparedSpan> spans, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO spans ({string.Join(", ", s_columns)}) VALUES ({string.Join(", ", s_columns.Select(c => "$" + c))})";
        foreach (var column in s_columns)
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = "$" + column });
        }

        insert.Prepare();
        foreach (var span in spans)
        {
            Bind(insert.Parameters, span);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static void Bind(SqliteParameterCollection p, PreparedSpan prepared)
    {
        var s = prepared.Span;
        p[0].Value = s.TraceId;
        p[1].Value = s.SpanId;
        p[2].Value = (object?)s.ParentSpanId ?? DBNull.Value;
        p[3].Value = s.Name;
        p[4].Value = s.Kind;
        p[5].Value = s.Type;
        p[6].Value = (object?)s.ServiceName ?? DBNull.Value;
        p[7].Value = s.StartUnixNano / 1000;
        p[8].Value = Math.Max(s.EndUnixNano, s.StartUnixNano) / 1000;
        p[9].Value = s.StatusCode;
        p[10].Value = (object?)s.StatusMessage ?? DBNull.Value;
        p[11].Value = (object?)s.Model ?? DBNull.Value;
        p[12].Value = (object?)s.Provider ?? DBNull.Value;
        p[13].Value = (object?)s.InputTokens ?? DBNull.Value;
        p[14].Value = (object?)s.OutputTokens ?? DBNull.Value;
        p[15].Value = (object?)prepared.CostNanoUsd ?? DBNull.Value;
        p[16].Value = (object?)s.UserId ?? DBNull.Value;
        p[17].Value = (object?)s.SessionId ?? DBNull.Value;
        p[18].Value = (object?)s.Input ?? DBNull.Value;
        p[19].Value = (object?)s.Output ?? DBNull.Value;
        p[20].Value = prepared.AttributesJson;
        p[21].Value = (object?)prepared.EventsJson ?? DBNull.Value;
        p[22].Value = (object?)s.WriterKey ?? DBNull.Value;
        p[23].Value = (object?)s.WriterTeam ?? DBNull.Value;
    }
}
