using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchyard.Prompts;
using static Switchyard.Storage.Sqlite.SqliteValues;

namespace Switchyard.Storage.Sqlite;

/// <summary>The prompt registry in SQLite; each add and each label move is one immediate transaction.</summary>
internal sealed class SqlitePromptStore(SqliteDatabase database) : IPromptStore
{
    private const string Columns = "name, version, kind, template, variables, model_group, pinned_model, parameters, tools, response_format, message, author, content_hash, created_us";

    public async Task<(PromptVersion Version, bool Created)> AddVersionAsync(PromptDraft draft, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = draft.ContentHash();
        await using var connection = await database.OpenAsync(cancellationToken);
        // Immediate: the write lock is taken before the read, so two adds or moves cannot interleave.
        using var transaction = connection.BeginTransaction(deferred: false);
        var latest = await ReadAsync(connection, transaction, $"SELECT {Columns} FROM prompt_versions WHERE name = $name ORDER BY version DESC LIMIT 1", draft.Name, null, cancellationToken);
        if (latest.Count > 0 && latest[0].ContentHash == hash)
        {
            return (latest[0], false);
        }

        var version = new PromptVersion(latest.Count > 0 ? latest[0].Version + 1 : 1, draft, now, hash);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO prompt_versions ({Columns}) VALUES ($name, $version, $kind, $template, $variables, $group, $pinned, $parameters, $tools, $format, $message, $author, $hash, $created)";
            command.Parameters.AddWithValue("$name", draft.Name);
            command.Parameters.AddWithValue("$version", version.Version);
            command.Parameters.AddWithValue("$kind", draft.Kind == PromptKind.Chat ? "chat" : "text");
            command.Parameters.AddWithValue("$template", draft.Template);
            command.Parameters.AddWithValue("$variables", JsonSerializer.Serialize(draft.Variables.ToArray(), PromptJson.Default.PromptVariableArray));
            command.Parameters.AddWithValue("$group", OrNull(draft.ModelGroup));
            command.Parameters.AddWithValue("$pinned", OrNull(draft.PinnedModel));
            command.Parameters.AddWithValue("$parameters", OrNull(draft.ParametersJson));
            command.Parameters.AddWithValue("$tools", OrNull(draft.ToolsJson));
            command.Parameters.AddWithValue("$format", OrNull(draft.ResponseFormatJson));
            command.Parameters.AddWithValue("$message", OrNull(draft.Message));
            command.Parameters.AddWithValue("$author", OrNull(draft.Author));
            command.Parameters.AddWithValue("$hash", hash);
            command.Parameters.AddWithValue("$created", Micros(now));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        transaction.Commit();
        return (version, true);
    }

    public async Task<PromptVersion?> GetVersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var found = await ReadAsync(connection, null, $"SELECT {Columns} FROM prompt_versions WHERE name = $name AND version = $version", name, version, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyList<PromptVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, $"SELECT {Columns} FROM prompt_versions WHERE name = $name ORDER BY version DESC", name, null, cancellationToken);
    }

    public async Task<IReadOnlyList<PromptSummary>> ListPromptsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var prompts = new List<(string Name, int Latest, long Updated)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT v.name, max(v.version), max(max(v.created_us), coalesce((SELECT max(l.updated_us) FROM prompt_labels l WHERE l.name = v.name), 0))
                FROM prompt_versions v GROUP BY v.name ORDER BY v.name
                """;
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                prompts.Add((r.GetString(0), r.GetInt32(1), r.GetInt64(2)));
            }
        }

        var labels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, label, version FROM prompt_labels";
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                (labels.TryGetValue(r.GetString(0), out var own) ? own : labels[r.GetString(0)] = new(StringComparer.Ordinal))[r.GetString(1)] = r.GetInt32(2);
            }
        }

        return [.. prompts.Select(p => new PromptSummary(p.Name, p.Latest, labels.GetValueOrDefault(p.Name) ?? new Dictionary<string, int>(), Time(p.Updated)))];
    }

    public async Task<PromptSummary?> SummaryAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One read transaction: the labels and the newest version come from the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        int latest;
        long updated;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT max(version), max(max(created_us), coalesce((SELECT max(updated_us) FROM prompt_labels WHERE name = $name), 0))
                FROM prompt_versions WHERE name = $name
                """;
            command.Parameters.AddWithValue("$name", name);
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            if (!await r.ReadAsync(cancellationToken) || r.IsDBNull(0))
            {
                return null;
            }

            (latest, updated) = (r.GetInt32(0), r.GetInt64(1));
        }

        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT label, version FROM prompt_labels WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                labels[r.GetString(0)] = r.GetInt32(1);
            }
        }

        return new PromptSummary(name, latest, labels, Time(updated));
    }

    public async Task<IReadOnlyDictionary<string, int>> LabelsAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT label, version FROM prompt_labels WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            labels[r.GetString(0)] = r.GetInt32(1);
        }

        return labels;
    }

    public async Task<LabelMoveOutcome> MoveLabelAsync(string name, string label, int version, string actor, string? reason, int? expectedFrom, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Immediate: the write lock is taken before the read, so two adds or moves cannot interleave.
        using var transaction = connection.BeginTransaction(deferred: false);
        if (await ScalarAsync(connection, transaction, "SELECT 1 FROM prompt_versions WHERE name = $name AND version = $version", name, label, version, cancellationToken) is null)
        {
            return LabelMoveOutcome.NoSuchVersion;
        }

        var current = await ScalarAsync(connection, transaction, "SELECT version FROM prompt_labels WHERE name = $name AND label = $label", name, label, version, cancellationToken) is long value ? (int?)value : null;
        if (expectedFrom is { } expected && (current ?? 0) != expected)
        {
            return LabelMoveOutcome.Conflict;
        }

        if (current == version)
        {
            return LabelMoveOutcome.Unchanged;
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO prompt_labels (name, label, version, updated_us) VALUES ($name, $label, $version, $at)
                ON CONFLICT(name, label) DO UPDATE SET version = excluded.version, updated_us = excluded.updated_us;
                INSERT INTO prompt_label_moves (name, label, from_version, to_version, actor, reason, at_us) VALUES ($name, $label, $from, $version, $actor, $reason, $at);
                """;
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$label", label);
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$from", current is { } from ? from : DBNull.Value);
            command.Parameters.AddWithValue("$actor", actor);
            command.Parameters.AddWithValue("$reason", OrNull(reason));
            command.Parameters.AddWithValue("$at", Micros(now));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        transaction.Commit();
        return LabelMoveOutcome.Moved;
    }

    public async Task<IReadOnlyList<PromptLabelMove>> LabelHistoryAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT label, from_version, to_version, actor, reason, at_us FROM prompt_label_moves WHERE name = $name ORDER BY id DESC";
        command.Parameters.AddWithValue("$name", name);
        var moves = new List<PromptLabelMove>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            moves.Add(new PromptLabelMove(name, r.GetString(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.GetInt32(2), r.GetString(3), Time(r.GetInt64(5)), NullableString(r, 4)));
        }

        return moves;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string name, string label, int version, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$label", label);
        command.Parameters.AddWithValue("$version", version);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<List<PromptVersion>> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, string name, int? version, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$name", name);
        if (version is { } v)
        {
            command.Parameters.AddWithValue("$version", v);
        }

        var versions = new List<PromptVersion>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var draft = new PromptDraft
            {
                Name = r.GetString(0),
                Kind = r.GetString(2) == "chat" ? PromptKind.Chat : PromptKind.Text,
                Template = r.GetString(3),
                Variables = JsonSerializer.Deserialize(r.GetString(4), PromptJson.Default.PromptVariableArray) ?? [],
                ModelGroup = NullableString(r, 5),
                PinnedModel = NullableString(r, 6),
                ParametersJson = NullableString(r, 7),
                ToolsJson = NullableString(r, 8),
                ResponseFormatJson = NullableString(r, 9),
                Message = NullableString(r, 10),
                Author = NullableString(r, 11),
            };
            versions.Add(new PromptVersion(r.GetInt32(1), draft, Time(r.GetInt64(13)), r.GetString(12)));
        }

        return versions;
    }
}
