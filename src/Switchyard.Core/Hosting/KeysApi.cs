using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Configuration;
using Switchyard.Identity;
using Switchyard.Limits;
using Switchyard.Spend;

namespace Switchyard.Hosting;

/// <summary>
/// <c>/api/keys</c>: create (the secret is in that one answer only), list, show, update, rotate and
/// revoke virtual keys. Secrets are never returned again, only a hint of them.
/// </summary>
internal static class KeysApi
{
    private static readonly string[] s_fields = ["name", "team", "user", "models", "scopes", "expires_at", "expires_in", "metadata", "limits", "budget", "capture"];

    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder api)
    {
        api.MapPost("/keys", async (HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time) =>
        {
            var (document, error) = await ApiBody.ReadObjectAsync(http, s_fields).ConfigureAwait(false);
            if (document is null)
            {
                return error!;
            }

            using (document)
            {
                var now = time.GetUtcNow();
                var (created, secret, failure) = await CreateAsync(document.RootElement, registry, seeder, now, Reach.Of(http), http.RequestAborted).ConfigureAwait(false);
                return failure is not null ? ApiBody.From(failure) : ApiBody.Json(json => Write(json, created!, now, budgets, secret), 201);
            }
        });

        api.MapGet("/keys", (HttpContext http, KeyRegistry registry, BudgetStatus budgets, TimeProvider time) =>
        {
            var query = http.Request.Query;
            string? team = query["team"], user = query["user"];
            var includeRevoked = query["include_revoked"].ToString() is var flag && (flag.Equals("true", StringComparison.OrdinalIgnoreCase) || flag == "1");
            var now = time.GetUtcNow();
            var reach = Reach.Of(http);
            var keys = registry.Keys
                .Where(k => (team is null || k.TeamId == team) && (user is null || k.UserId == user) && (includeRevoked || k.RevokedAt is null) && TeamBounds.Sees(reach, k, registry))
                .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)
                .ToList();
            return ApiBody.Json(json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("data");
                foreach (var key in keys)
                {
                    Write(json, key, now, budgets);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        });

        api.MapGet("/keys/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetStatus budgets, TimeProvider time) =>
            Find(id, Reach.Of(http), registry) is { } key ? ApiBody.Json(json => Write(json, key, time.GetUtcNow(), budgets)) : NotFound(id));

        api.MapPatch("/keys/{id}", async (string id, HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time) =>
        {
            var (document, error) = await ApiBody.ReadObjectAsync(http, s_fields).ConfigureAwait(false);
            if (document is null)
            {
                return error!;
            }

            using (document)
            {
                var now = time.GetUtcNow();
                var (updated, failure) = await UpdateAsync(id, document.RootElement, registry, seeder, now, Reach.Of(http), http.RequestAborted).ConfigureAwait(false);
                return failure is not null ? ApiBody.From(failure) : ApiBody.Json(json => Write(json, updated!, now, budgets));
            }
        });

        api.MapPost("/keys/{id}/rotate", async (string id, HttpContext http, KeyRegistry registry, SwitchyardOptions options, BudgetStatus budgets, TimeProvider time) =>
        {
            var (document, error) = await ApiBody.ReadObjectAsync(http, "grace").ConfigureAwait(false);
            if (document is null)
            {
                return error!;
            }

            using (document)
            {
                var grace = options.Keys.RotationGrace;
                if (document.RootElement.TryGetProperty("grace", out var graceValue) && !ApiBody.TryDuration(graceValue, "grace", out grace, out var problem))
                {
                    return ApiBody.BadRequest(problem!);
                }

                var now = time.GetUtcNow();
                if (Find(id, Reach.Of(http), registry) is null)
                {
                    return NotFound(id);
                }

                var failure = Rotate(id, grace, registry, now, out var rotated, out var secret);
                return failure is not null ? ApiBody.From(failure) : ApiBody.Json(json => Write(json, rotated!, now, budgets, secret));
            }
        });

        api.MapDelete("/keys/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetStatus budgets, TimeProvider time) =>
        {
            if (Find(id, Reach.Of(http), registry) is null)
            {
                return NotFound(id);
            }

            var now = time.GetUtcNow();
            var failure = Revoke(id, registry, now, out var revoked);
            return failure is null ? ApiBody.Json(json => Write(json, revoked!, now, budgets)) : ApiBody.From(failure);
        });

        return api;
    }

    /// <summary>A key the caller may see, or null: another team's key is not confirmed to exist.</summary>
    internal static VirtualKey? Find(string id, Reach reach, KeyRegistry registry) =>
        registry.FindKey(id) is { } key && TeamBounds.Sees(reach, key, registry) ? key : null;

    private static IResult NotFound(string id) => ApiBody.Error(404, $"No key with id '{id}'.", "not_found");

    /// <summary>Creates a key from a body of the API's fields (the dashboard builds the same body from its form); the secret is returned once.</summary>
    internal static async Task<(VirtualKey? Key, string? Secret, IdentityError? Failure)> CreateAsync(JsonElement body, KeyRegistry registry, BudgetSeeder seeder, DateTimeOffset now, Reach reach, CancellationToken cancellationToken)
    {
        var draft = new VirtualKey { Id = KeyRegistry.NewId("key_"), Name = "", Hint = "", SecretHash = default, CreatedAt = now, UpdatedAt = now };
        if (Apply(body, draft, now, out var key) is { } problem)
        {
            return (null, null, new IdentityError(400, problem, "invalid_request_error"));
        }

        if (string.IsNullOrEmpty(key!.Name))
        {
            return (null, null, new IdentityError(400, "name: required.", "invalid_request_error"));
        }

        key = TeamBounds.InTeam(reach, key);
        if (TeamBounds.MayGrant(reach, key, registry) is { } denied)
        {
            return (null, null, denied);
        }

        if (registry.CreateKey(key, out var created, out var secret) is { } failure)
        {
            return (null, null, failure);
        }

        await seeder.SeedAsync(created, cancellationToken).ConfigureAwait(false);
        return (created, secret, null);
    }

    /// <summary>Applies a merge patch of the API's fields to a key.</summary>
    internal static async Task<(VirtualKey? Key, IdentityError? Failure)> UpdateAsync(string id, JsonElement body, KeyRegistry registry, BudgetSeeder seeder, DateTimeOffset now, Reach reach, CancellationToken cancellationToken)
    {
        if (Find(id, reach, registry) is null)
        {
            return (null, new IdentityError(404, $"No key with id '{id}'.", "not_found"));
        }

        string? problem = null;
        IdentityError? denied = null;
        var failure = registry.UpdateKey(id, current =>
        {
            problem = Apply(body, current, now, out var next);
            denied = problem is null ? TeamBounds.MayGrant(reach, next!, registry) : null;
            return problem is null && denied is null ? next! with { UpdatedAt = now } : current;
        }, out var updated);
        if (problem is not null)
        {
            return (null, new IdentityError(400, problem, "invalid_request_error"));
        }

        if (denied is not null)
        {
            return (null, denied);
        }

        if (failure is not null)
        {
            return (null, failure);
        }

        await seeder.SeedAsync(updated!, cancellationToken).ConfigureAwait(false);
        return (updated, null);
    }

    /// <summary>A new secret for a key; the old one keeps working for <paramref name="grace"/>. The new secret is returned once.</summary>
    internal static IdentityError? Rotate(string id, TimeSpan grace, KeyRegistry registry, DateTimeOffset now, out VirtualKey? rotated, out string? secret)
    {
        secret = null;
        rotated = null;
        if (registry.FindKey(id) is { RevokedAt: not null })
        {
            return new IdentityError(409, $"Key '{id}' is revoked; create a new key instead.", "revoked");
        }

        var fresh = KeySecret.Generate();
        var failure = registry.UpdateKey(id, current => current.RevokedAt is not null ? current : current with
        {
            PreviousHash = grace > TimeSpan.Zero ? current.SecretHash : null,
            PreviousValidUntil = grace > TimeSpan.Zero ? now + grace : null,
            SecretHash = KeySecret.Hash(fresh),
            Hint = KeySecret.Hint(fresh),
            UpdatedAt = now,
        }, out rotated);
        if (failure is not null)
        {
            return failure;
        }

        if (rotated!.RevokedAt is not null)
        {
            return new IdentityError(409, $"Key '{id}' is revoked; create a new key instead.", "revoked"); // revoked meanwhile
        }

        secret = fresh;
        return null;
    }

    /// <summary>Revokes a key at once (revoking twice keeps the first time); its previous secret goes too.</summary>
    internal static IdentityError? Revoke(string id, KeyRegistry registry, DateTimeOffset now, out VirtualKey? revoked) =>
        registry.UpdateKey(id, current => current.RevokedAt is null ? current with { RevokedAt = now, UpdatedAt = now, PreviousHash = null, PreviousValidUntil = null } : current, out revoked);

    /// <summary>Applies the fields present in <paramref name="body"/> to <paramref name="current"/>; null clears a field. Returns the first problem.</summary>
    private static string? Apply(JsonElement body, VirtualKey current, DateTimeOffset now, out VirtualKey? next)
    {
        next = null;
        if (!ApiBody.TryString(body, "name", current.Name, 200, out var name, out var error)
            || !ApiBody.TryString(body, "team", current.TeamId, 128, out var team, out error)
            || !ApiBody.TryString(body, "user", current.UserId, 128, out var user, out error)
            || !ApiBody.TryMetadata(body, current.MetadataJson, out var metadata, out error))
        {
            return error;
        }

        if (name is null)
        {
            return "name: cannot be null.";
        }

        var models = current.Models;
        if (body.TryGetProperty("models", out var modelsValue))
        {
            if (modelsValue.ValueKind == JsonValueKind.Null)
            {
                models = null;
            }
            else if (modelsValue.ValueKind != JsonValueKind.Array || modelsValue.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String || m.GetString()!.Length == 0))
            {
                return "models: must be an array of model group names, or null for all models.";
            }
            else
            {
                models = modelsValue.EnumerateArray().Select(m => m.GetString()!).Distinct(StringComparer.Ordinal).ToArray();
            }
        }

        var scopes = current.Scopes;
        if (body.TryGetProperty("scopes", out var scopesValue))
        {
            if (scopesValue.ValueKind != JsonValueKind.Array || scopesValue.GetArrayLength() == 0)
            {
                return $"scopes: must be a non-empty array of {KeyScopeNames.Known}.";
            }

            scopes = KeyScopes.None;
            foreach (var item in scopesValue.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || !KeyScopeNames.TryParse(item.GetString()!, out var scope))
                {
                    return $"scopes: '{item}' is not one of {KeyScopeNames.Known}.";
                }

                scopes |= scope;
            }
        }

        var expires = current.ExpiresAt;
        if (body.TryGetProperty("expires_at", out var expiresAt))
        {
            if (body.TryGetProperty("expires_in", out _))
            {
                return "expires_at, expires_in: give one or the other.";
            }

            if (!ApiBody.TryTime(expiresAt, "expires_at", out expires, out error))
            {
                return error;
            }
        }
        else if (body.TryGetProperty("expires_in", out var expiresIn))
        {
            if (expiresIn.ValueKind == JsonValueKind.Null)
            {
                expires = null;
            }
            else if (!ApiBody.TryDuration(expiresIn, "expires_in", out var duration, out error))
            {
                return error;
            }
            else
            {
                expires = now + duration;
            }
        }

        if (expires != current.ExpiresAt && expires <= now)
        {
            return "expires_at, expires_in: the key would already be expired; give a time in the future.";
        }

        var capture = current.Capture;
        if (body.TryGetProperty("capture", out var captureValue))
        {
            if (captureValue.ValueKind == JsonValueKind.Null)
            {
                capture = null;
            }
            else if (captureValue.ValueKind != JsonValueKind.String || !Enum.TryParse<CaptureMode>(captureValue.GetString(), ignoreCase: true, out var mode) || int.TryParse(captureValue.GetString(), out _))
            {
                return "capture: must be full, sample, metadata, or null to follow tracing.capture.";
            }
            else
            {
                capture = mode;
            }
        }

        if (OwnersApi.ApplyPolicy(body, current.Limits, current.Budget, out var limits, out var budget) is { } policyError)
        {
            return policyError;
        }

        next = current with
        {
            Name = name,
            TeamId = team,
            UserId = user,
            MetadataJson = metadata,
            Models = models,
            Scopes = scopes,
            ExpiresAt = expires,
            Capture = capture,
            Limits = limits,
            Budget = budget,
        };
        return null;
    }

    public static void Write(Utf8JsonWriter json, VirtualKey key, DateTimeOffset now, BudgetStatus budgets, string? secret = null)
    {
        json.WriteStartObject();
        json.WriteString("id", key.Id);
        json.WriteString("object", "key");
        if (secret is not null)
        {
            json.WriteString("key", secret);
        }

        json.WriteString("name", key.Name);
        json.WriteString("hint", key.Hint);
        json.WriteString("status", key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : "active");
        WriteNullable(json, "team", key.TeamId);
        WriteNullable(json, "user", key.UserId);
        json.WriteStartArray("scopes");
        foreach (var scope in KeyScopeNames.Names(key.Scopes))
        {
            json.WriteStringValue(scope);
        }

        json.WriteEndArray();
        if (key.Models is null)
        {
            json.WriteNull("models");
        }
        else
        {
            json.WriteStartArray("models");
            foreach (var model in key.Models)
            {
                json.WriteStringValue(model);
            }

            json.WriteEndArray();
        }

        ApiBody.WriteTime(json, "expires_at", key.ExpiresAt);
        ApiBody.WriteTime(json, "revoked_at", key.RevokedAt);
        ApiBody.WriteTime(json, "previous_secret_valid_until", key.PreviousValidUntil > now ? key.PreviousValidUntil : null);
        WriteNullable(json, "capture", key.Capture?.ToString().ToLowerInvariant());
        ApiBody.WriteRaw(json, "metadata", key.MetadataJson);
        PolicyJson.Write(json, "limits", key.Limits);
        PolicyJson.Write(json, "budget", key.Budget);
        budgets.Write(json, key);
        ApiBody.WriteTime(json, "created_at", key.CreatedAt);
        ApiBody.WriteTime(json, "updated_at", key.UpdatedAt);
        json.WriteEndObject();
    }

    internal static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
