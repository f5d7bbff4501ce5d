using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Storage;

namespace Switchyard.Tests.TestUtilities;

/// <summary>Reads what the gateway recorded, waiting (bounded) for the batched writer.</summary>
internal static class RecordedCalls
{
    public static async Task<Dictionary<string, object?>> WaitForAsync(TestGateway gateway, string traceId, CancellationToken cancellationToken)
    {
        var db = gateway.Services.GetRequiredService<SqliteDatabase>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using (var connection = db.Open())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT * FROM calls WHERE trace_id = $t";
                command.Parameters.AddWithValue("$t", traceId);
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    var row = new Dictionary<string, object?>();
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }

                    return row;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No call recorded for trace {traceId}.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public static long Count(TestGateway gateway)
    {
        var db = gateway.Services.GetRequiredService<SqliteDatabase>();
        using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM calls";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Waits until the recorder has written at least <paramref name="calls"/> calls.</summary>
    public static async Task WaitForCountAsync(TestGateway gateway, long calls, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Count(gateway) < calls && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        Xunit.Assert.True(Count(gateway) >= calls, $"only {Count(gateway)} of {calls} calls recorded");
    }
}
