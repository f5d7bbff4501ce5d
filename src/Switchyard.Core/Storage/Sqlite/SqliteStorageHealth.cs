namespace Switchyard.Storage.Sqlite;

/// <summary>The database file opens and answers a query.</summary>
internal sealed class SqliteStorageHealth(SqliteDatabase database) : IStorageHealth
{
    public string Kind => "sqlite";

    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever keeps the store from answering makes the gateway degraded, not the endpoint fail.
            return ex.Message;
        }
    }
}
