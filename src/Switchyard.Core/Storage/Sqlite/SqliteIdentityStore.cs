using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchyard.Configuration;
using Switchyard.Identity;
using Switchyard.Limits;
using static Switchyard.Storage.Sqlite.SqliteValues;

namespace Switchyard.Storage.Sqlite;

/// <summary>Keys, users and teams in SQLite, one row each.</summary>
internal sealed class SqliteIdentityStore(SqliteDatabase database) : IIdentityStore
{
    public async Task<StoredIdentities> LoadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var teams = new List<Team>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, name, metadata, limits, budget, created_us, updated_us, guardrails FROM teams";
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                teams.Add(new Team
                {
                    Id = r.GetString(0),
                    Name = NullableString(r, 1),
                    MetadataJson = NullableString(r, 2),
                    Limits = PolicyJson.DeserializeLimits(NullableString(r, 3)),
                    Budget = PolicyJson.DeserializeBudget(NullableString(r, 4)),
                    CreatedAt = Time(r.GetInt64(5)),
                    UpdatedAt = Time(r.GetInt64(6)),
                    Guardrails = Lists(NullableString(r, 7)),
                });
            }
        }

        var users = new List<UserAccount>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, name, email, team_id, metadata, limits, budget, created_us, updated_us FROM users";
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                users.Add(new UserAccount
                {
                    Id = r.GetString(0),
                    Name = NullableString(r, 1),
                    Email = NullableString(r, 2),
                    TeamId = NullableString(r, 3),
                    MetadataJson = NullableString(r, 4),
                    Limits = PolicyJson.DeserializeLimits(NullableString(r, 5)),
                    Budget = PolicyJson.DeserializeBudget(NullableString(r, 6)),
                    CreatedAt = Time(r.GetInt64(7)),
                    UpdatedAt = Time(r.GetInt64(8)),
                });
            }
        }

        var keys = new List<VirtualKey>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT id, name, hint, secret_hash, previous_hash, previous_valid_until_us, team_id, user_id, scopes, models,
                       expires_us, revoked_us, capture, metadata, limits, budget, created_us, updated_us, guardrails
                FROM keys
                """;
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                keys.Add(new VirtualKey
                {
                    Id = r.GetString(0),
                    Name = r.GetString(1),
                    Hint = r.GetString(2),
                    SecretHash = SecretHash.From((byte[])r.GetValue(3)),
                    PreviousHash = r.IsDBNull(4) ? null : SecretHash.From((byte[])r.GetValue(4)),
                    PreviousValidUntil = NullableTime(r, 5),
                    TeamId = NullableString(r, 6),
                    UserId = NullableString(r, 7),
                    Scopes = ParseScopes(r.GetString(8)),
                    Models = NullableString(r, 9) is { } models ? JsonSerializer.Deserialize(models, IdentityJson.Default.StringArray) : null,
                    ExpiresAt = NullableTime(r, 10),
                    RevokedAt = NullableTime(r, 11),
                    Capture = NullableString(r, 12) is { } capture && Enum.TryParse<CaptureMode>(capture, true, out var mode) ? mode : null,
                    MetadataJson = NullableString(r, 13),
                    Limits = PolicyJson.DeserializeLimits(NullableString(r, 14)),
                    Budget = PolicyJson.DeserializeBudget(NullableString(r, 15)),
                    CreatedAt = Time(r.GetInt64(16)),
                    UpdatedAt = Time(r.GetInt64(17)),
                    Guardrails = Lists(NullableString(r, 18)),
                });
            }
        }

        return new StoredIdentities(teams, users, keys);
    }

    public async Task SaveTeamAsync(Team team, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO teams (id, name, metadata, limits, budget, created_us, updated_us, guardrails) VALUES ($id, $name, $metadata, $limits, $budget, $created, $updated, $guardrails)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, metadata = excluded.metadata, limits = excluded.limits, budget = excluded.budget, updated_us = excluded.updated_us,
                guardrails = excluded.guardrails
            """;
        AddCommon(command, team);
        command.Parameters.AddWithValue("$guardrails", Json(team.Guardrails));
        command.Parameters.AddWithValue("$name", (object?)team.Name ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveUserAsync(UserAccount user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO users (id, name, email, team_id, metadata, limits, budget, created_us, updated_us) VALUES ($id, $name, $email, $team, $metadata, $limits, $budget, $created, $updated)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email, team_id = excluded.team_id, metadata = excluded.metadata,
                limits = excluded.limits, budget = excluded.budget, updated_us = excluded.updated_us
            """;
        AddCommon(command, user);
        command.Parameters.AddWithValue("$name", (object?)user.Name ?? DBNull.Value);
        command.Parameters.AddWithValue("$email", (object?)user.Email ?? DBNull.Value);
        command.Parameters.AddWithValue("$team", (object?)user.TeamId ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveKeyAsync(VirtualKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO keys (id, name, hint, secret_hash, previous_hash, previous_valid_until_us, team_id, user_id, scopes, models,
                              expires_us, revoked_us, capture, metadata, limits, budget, created_us, updated_us, guardrails)
            VALUES ($id, $name, $hint, $hash, $previous, $previous_until, $team, $user, $scopes, $models,
                    $expires, $revoked, $capture, $metadata, $limits, $budget, $created, $updated, $guardrails)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, hint = excluded.hint, secret_hash = excluded.secret_hash,
                previous_hash = excluded.previous_hash, previous_valid_until_us = excluded.previous_valid_until_us,
                team_id = excluded.team_id, user_id = excluded.user_id, scopes = excluded.scopes, models = excluded.models,
                expires_us = excluded.expires_us, revoked_us = excluded.revoked_us, capture = excluded.capture,
                metadata = excluded.metadata, limits = excluded.limits, budget = excluded.budget, updated_us = excluded.updated_us,
                guardrails = excluded.guardrails
            """;
        AddCommon(command, key);
        command.Parameters.AddWithValue("$guardrails", Json(key.Guardrails));
        command.Parameters.AddWithValue("$name", key.Name);
        command.Parameters.AddWithValue("$hint", key.Hint);
        command.Parameters.AddWithValue("$hash", key.SecretHash.ToBytes());
        command.Parameters.AddWithValue("$previous", (object?)key.PreviousHash?.ToBytes() ?? DBNull.Value);
        command.Parameters.AddWithValue("$previous_until", Micros(key.PreviousValidUntil));
        command.Parameters.AddWithValue("$team", (object?)key.TeamId ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", (object?)key.UserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$scopes", string.Join(',', KeyScopeNames.Names(key.Scopes)));
        command.Parameters.AddWithValue("$models", key.Models is null ? DBNull.Value : JsonSerializer.Serialize(key.Models.ToArray(), IdentityJson.Default.StringArray));
        command.Parameters.AddWithValue("$expires", Micros(key.ExpiresAt));
        command.Parameters.AddWithValue("$revoked", Micros(key.RevokedAt));
        command.Parameters.AddWithValue("$capture", (object?)key.Capture?.ToString().ToLowerInvariant() ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task DeleteTeamAsync(string id, CancellationToken cancellationToken) => DeleteAsync("DELETE FROM teams WHERE id = $id", id, cancellationToken);

    public Task DeleteUserAsync(string id, CancellationToken cancellationToken) => DeleteAsync("DELETE FROM users WHERE id = $id", id, cancellationToken);

    private async Task DeleteAsync(string sql, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddCommon(SqliteCommand command, LimitedSubject subject)
    {
        command.Parameters.AddWithValue("$id", subject.Id);
        command.Parameters.AddWithValue("$metadata", (object?)subject.MetadataJson ?? DBNull.Value);
        command.Parameters.AddWithValue("$limits", (object?)PolicyJson.Serialize(subject.Limits) ?? DBNull.Value);
        command.Parameters.AddWithValue("$budget", (object?)PolicyJson.Serialize(subject.Budget) ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", Micros(subject.CreatedAt));
        command.Parameters.AddWithValue("$updated", Micros(subject.UpdatedAt));
    }

    private static object Json(GuardrailLists? lists) => lists is null ? DBNull.Value : JsonSerializer.Serialize(lists, IdentityJson.Default.GuardrailLists);

    private static GuardrailLists? Lists(string? json) => json is null ? null : JsonSerializer.Deserialize(json, IdentityJson.Default.GuardrailLists);

    private static KeyScopes ParseScopes(string text)
    {
        var scopes = KeyScopes.None;
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (KeyScopeNames.TryParse(name, out var scope))
            {
                scopes |= scope;
            }
        }

        return scopes;
    }
}
