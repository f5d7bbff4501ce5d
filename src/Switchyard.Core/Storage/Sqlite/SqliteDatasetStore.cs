using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchyard.Evaluation.Datasets;
using static Switchyard.Storage.Sqlite.SqliteValues;

namespace Switchyard.Storage.Sqlite;

/// <summary>Datasets in SQLite: adding a version is one immediate transaction, so two writers get distinct, gapless numbers.</summary>
internal sealed class SqliteDatasetStore(SqliteDatabase database) : IDatasetStore
{
    private const string ItemColumns = "item_id, input, expected, context, metadata, tags, source_trace";

    public async Task<DatasetVersion> AddVersionAsync(string name, IReadOnlyList<DatasetItem> items, bool append, string author, string? message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Immediate: the write lock is taken before the newest version is read.
        using var transaction = connection.BeginTransaction(deferred: false);
        var latest = 0;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT coalesce(max(version), 0) FROM dataset_versions WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            latest = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        var all = new List<DatasetItem>();
        if (append && latest > 0)
        {
            all.AddRange(await ReadItemsAsync(connection, transaction, name, latest, 0, int.MaxValue, cancellationToken));
        }

        var seen = all.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        all.AddRange(items.Where(i => seen.Add(i.Id)));
        var version = new DatasetVersion(name, latest + 1, all.Count, now, author, message);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO dataset_versions (name, version, item_count, author, message, created_us) VALUES ($name, $version, $count, $author, $message, $created)";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$version", version.Version);
            command.Parameters.AddWithValue("$count", all.Count);
            command.Parameters.AddWithValue("$author", author);
            command.Parameters.AddWithValue("$message", OrNull(message));
            command.Parameters.AddWithValue("$created", Micros(now));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO dataset_items (name, version, position, {ItemColumns}) VALUES ($name, $version, $position, $id, $input, $expected, $context, $metadata, $tags, $trace)";
            var parameters = new[] { "$name", "$version", "$position", "$id", "$input", "$expected", "$context", "$metadata", "$tags", "$trace" }.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
            for (var i = 0; i < all.Count; i++)
            {
                var item = all[i];
                object?[] values = [name, version.Version, i, item.Id, item.InputJson, item.ExpectedJson, item.ContextJson, item.MetadataJson, item.Tags.Count == 0 ? null : JsonSerializer.Serialize(item.Tags.ToArray(), DatasetJson.Default.StringArray), item.SourceTraceId];
                for (var p = 0; p < values.Length; p++)
                {
                    parameters[p].Value = values[p] ?? DBNull.Value;
                }

                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        transaction.Commit();
        return version;
    }

    public async Task<DatasetVersion?> GetVersionAsync(string name, int? version, CancellationToken cancellationToken)
    {
        var found = await QueryVersionsAsync(
            version is null
                ? "SELECT name, version, item_count, author, message, created_us FROM dataset_versions WHERE name = $name ORDER BY version DESC LIMIT 1"
                : "SELECT name, version, item_count, author, message, created_us FROM dataset_versions WHERE name = $name AND version = $version",
            command =>
            {
                command.Parameters.AddWithValue("$name", name);
                command.Parameters.AddWithValue("$version", (object?)version ?? DBNull.Value);
            },
            cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public Task<IReadOnlyList<DatasetVersion>> ListAsync(CancellationToken cancellationToken) =>
        QueryVersionsAsync(
            "SELECT v.name, v.version, v.item_count, v.author, v.message, v.created_us FROM dataset_versions v WHERE v.version = (SELECT max(version) FROM dataset_versions WHERE name = v.name) ORDER BY v.name",
            _ => { },
            cancellationToken);

    public async Task<IReadOnlyList<DatasetItem>> ItemsAsync(string name, int version, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadItemsAsync(connection, null, name, version, offset, limit, cancellationToken);
    }

    private static async Task<List<DatasetItem>> ReadItemsAsync(SqliteConnection connection, SqliteTransaction? transaction, string name, int version, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {ItemColumns} FROM dataset_items WHERE name = $name AND version = $version AND position >= $offset ORDER BY position LIMIT $limit";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$version", version);
        command.Parameters.AddWithValue("$offset", offset);
        command.Parameters.AddWithValue("$limit", limit);
        var items = new List<DatasetItem>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            items.Add(new DatasetItem
            {
                Id = r.GetString(0),
                InputJson = r.GetString(1),
                ExpectedJson = r.IsDBNull(2) ? null : r.GetString(2),
                ContextJson = r.IsDBNull(3) ? null : r.GetString(3),
                MetadataJson = r.IsDBNull(4) ? null : r.GetString(4),
                Tags = r.IsDBNull(5) ? [] : JsonSerializer.Deserialize(r.GetString(5), DatasetJson.Default.StringArray) ?? [],
                SourceTraceId = r.IsDBNull(6) ? null : r.GetString(6),
            });
        }

        return items;
    }

    private async Task<IReadOnlyList<DatasetVersion>> QueryVersionsAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var versions = new List<DatasetVersion>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            versions.Add(new DatasetVersion(r.GetString(0), r.GetInt32(1), r.GetInt32(2), DateTimeOffset.UnixEpoch.AddTicks(r.GetInt64(5) * 10), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));
        }

        return versions;
    }
}
