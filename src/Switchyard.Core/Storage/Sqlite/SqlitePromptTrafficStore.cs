using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchyard.Prompts.Traffic;
using static Switchyard.Storage.Sqlite.SqliteValues;

namespace Switchyard.Storage.Sqlite;

/// <summary>Experiments and rollouts in SQLite: one row each, the split as JSON; a unique partial index keeps one running per label.</summary>
internal sealed class SqlitePromptTrafficStore(SqliteDatabase database) : IPromptTrafficStore
{
    public async Task<bool> CreateAsync(TrafficSplit split, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO prompt_splits (id, prompt, label, kind, status, body, revision, created_us) VALUES ($id, $prompt, $label, $kind, $status, $body, $revision, $created)";
        Bind(command, split with { Revision = 1 });
        command.Parameters.AddWithValue("$created", Micros(split.CreatedAt));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19) // constraint: a split already runs on this label
        {
            return false;
        }
    }

    public async Task<TrafficSplit?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var found = await QueryAsync("SELECT body FROM prompt_splits WHERE id = $id", command => command.Parameters.AddWithValue("$id", id), cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public Task<IReadOnlyList<TrafficSplit>> ListAsync(string? prompt, CancellationToken cancellationToken) =>
        QueryAsync("SELECT body FROM prompt_splits WHERE ($prompt IS NULL OR prompt = $prompt) ORDER BY created_us DESC, id DESC", command => command.Parameters.AddWithValue("$prompt", (object?)prompt ?? DBNull.Value), cancellationToken);

    public Task<IReadOnlyList<TrafficSplit>> RunningAsync(CancellationToken cancellationToken) =>
        QueryAsync("SELECT body FROM prompt_splits WHERE status = 'running' ORDER BY created_us", _ => { }, cancellationToken);

    public async Task<TrafficSplit?> UpdateAsync(TrafficSplit split, int expectedRevision, CancellationToken cancellationToken)
    {
        var next = split with { Revision = expectedRevision + 1 };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE prompt_splits SET status = $status, body = $body, revision = $revision WHERE id = $id AND revision = $expected";
        Bind(command, next);
        command.Parameters.AddWithValue("$expected", expectedRevision);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? next : null;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19) // back to running while another split runs
        {
            return null;
        }
    }

    private static void Bind(SqliteCommand command, TrafficSplit split)
    {
        command.Parameters.AddWithValue("$id", split.Id);
        command.Parameters.AddWithValue("$prompt", split.Prompt);
        command.Parameters.AddWithValue("$label", split.Label);
        command.Parameters.AddWithValue("$kind", split.Kind == SplitKind.Rollout ? "rollout" : "experiment");
        command.Parameters.AddWithValue("$status", split.Status);
        command.Parameters.AddWithValue("$body", JsonSerializer.Serialize(split, TrafficJson.Default.TrafficSplit));
        command.Parameters.AddWithValue("$revision", split.Revision);
    }

    private async Task<IReadOnlyList<TrafficSplit>> QueryAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var splits = new List<TrafficSplit>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            splits.Add(JsonSerializer.Deserialize(r.GetString(0), TrafficJson.Default.TrafficSplit)!);
        }

        return splits;
    }
}
