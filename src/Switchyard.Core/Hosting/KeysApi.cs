using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Guardrails;
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
    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder api)
    {
        api.MapPost("/keys", async (HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time, AuthMode mode, ILoggerFactory loggers, GuardrailCatalog guards) =>
        {
            var (body, error) = await ApiBody.ReadAsync(http, AdminJson.Default.KeyRequest).ConfigureAwait(false);
            if (body is null)
            {
                return error!;
            }

            var now = time.GetUtcNow();
            var creation = await CreateAsync(body, registry, seeder, guards, now, Reach.Of(http), http.RequestAborted).ConfigureAwait(false);
            if (creation.Failure is not null)
            {
                return ApiBody.From(creation.Failure);
            }

            // The creator reads it in the answer too (the CLI says it on stderr).
            var closesOpenV1 = ClosesOpenV1(creation, mode, loggers);
            var view = KeyView.Of(creation.Created!, now, budgets, creation.Secret) with { V1NowRequiresKey = closesOpenV1 ? true : null };
            return ApiBody.Ok(view, AdminJson.Default.KeyView, 201);
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
                .Select(k => KeyView.Of(k, now, budgets))
                .ToList();
            return ApiBody.Ok(new DataList<KeyView>(keys), AdminJson.Default.DataListKeyView);
        });

        api.MapGet("/keys/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetStatus budgets, TimeProvider time) =>
            Find(id, Reach.Of(http), registry) is { } key ? ApiBody.Ok(KeyView.Of(key, time.GetUtcNow(), budgets), AdminJson.Default.KeyView) : NotFound(id));

        api.MapPatch("/keys/{id}", async (string id, HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time, GuardrailCatalog guards) =>
        {
            var (body, error) = await ApiBody.ReadAsync(http, AdminJson.Default.KeyRequest).ConfigureAwait(false);
            if (body is null)
            {
                return error!;
            }

            var now = time.GetUtcNow();
            var (updated, failure) = await UpdateAsync(id, body, registry, seeder, guards, now, Reach.Of(http), http.RequestAborted).ConfigureAwait(false);
            return failure is not null ? ApiBody.From(failure) : ApiBody.Ok(KeyView.Of(updated!, now, budgets), AdminJson.Default.KeyView);
        });

        api.MapPost("/keys/{id}/rotate", async (string id, HttpContext http, KeyRegistry registry, SwitchyardOptions options, BudgetStatus budgets, TimeProvider time) =>
        {
            var (body, error) = await ApiBody.ReadAsync(http, AdminJson.Default.RotateRequest).ConfigureAwait(false);
            if (body is null)
            {
                return error!;
            }

            var grace = options.Keys.RotationGrace;
            // Given, it must be a duration: null (an undefined element here) is refused, not taken as the default.
            if (body.Has(nameof(body.Grace)) && !ApiBody.TryDuration(body.Grace ?? default, "grace", out grace, out var problem))
            {
                return ApiBody.BadRequest(problem!);
            }

            var now = time.GetUtcNow();
            if (Find(id, Reach.Of(http), registry) is null)
            {
                return NotFound(id);
            }

            var (failure, rotated, secret) = await RotateAsync(id, grace, registry, now, http.RequestAborted);
            return failure is not null ? ApiBody.From(failure) : ApiBody.Ok(KeyView.Of(rotated!, now, budgets, secret), AdminJson.Default.KeyView);
        });

        api.MapDelete("/keys/{id}", async (string id, HttpContext http, KeyRegistry registry, BudgetStatus budgets, TimeProvider time) =>
        {
            if (Find(id, Reach.Of(http), registry) is null)
            {
                return NotFound(id);
            }

            var now = time.GetUtcNow();
            var (failure, revoked) = await RevokeAsync(id, registry, now, http.RequestAborted);
            return failure is null ? ApiBody.Ok(KeyView.Of(revoked!, now, budgets), AdminJson.Default.KeyView) : ApiBody.From(failure);
        });

        return api;
    }

    /// <summary>A key the caller may see, or null: another team's key is not confirmed to exist.</summary>
    internal static VirtualKey? Find(string id, Reach reach, KeyRegistry registry) =>
        registry.FindKey(id) is { } key && TeamBounds.Sees(reach, key, registry) ? key : null;

    private static IResult NotFound(string id) => ApiBody.Error(404, $"No key with id '{id}'.", "not_found");

    /// <summary>
    /// True when <paramref name="creation"/> made the first key while /v1 was open on loopback, and then
    /// says so once in the log: whoever relied on the open /v1 starts getting 401s, and the operator
    /// should find why. Only one creation is ever the first, so this logs at most once per store.
    /// </summary>
    internal static bool ClosesOpenV1(KeyCreation creation, AuthMode mode, ILoggerFactory loggers)
    {
        if (!creation.First || !mode.AnonymousInference)
        {
            return false;
        }

        loggers.CreateLogger(typeof(KeysApi).FullName!).LogWarning("Key {KeyId} is the first virtual key: /v1 now needs a key ('Authorization: Bearer <key>'); calls without one get 401.", creation.Created!.Id);
        return true;
    }

    /// <summary>Creates a key from a body of the API's fields, as the dashboard's form gives it.</summary>
    internal static Task<KeyCreation> CreateAsync(JsonElement body, KeyRegistry registry, BudgetSeeder seeder, GuardrailCatalog guards, DateTimeOffset now, Reach reach, CancellationToken cancellationToken) =>
        ApiBody.Bind(body, AdminJson.Default.KeyRequest, out var request) is { } problem
            ? Task.FromResult(new KeyCreation(new IdentityError(400, problem, "invalid_request_error"), null, null))
            : CreateAsync(request!, registry, seeder, guards, now, reach, cancellationToken);

    /// <summary>Creates a key; the secret is returned once.</summary>
    internal static async Task<KeyCreation> CreateAsync(KeyRequest body, KeyRegistry registry, BudgetSeeder seeder, GuardrailCatalog guards, DateTimeOffset now, Reach reach, CancellationToken cancellationToken)
    {
        var draft = new VirtualKey { Id = KeyRegistry.NewId("key_"), Name = "", Hint = "", SecretHash = default, CreatedAt = now, UpdatedAt = now };
        if (Apply(body, draft, now, guards, out var key) is { } problem)
        {
            return new KeyCreation(new IdentityError(400, problem, "invalid_request_error"), null, null);
        }

        if (string.IsNullOrEmpty(key!.Name))
        {
            return new KeyCreation(new IdentityError(400, "name: required.", "invalid_request_error"), null, null);
        }

        key = TeamBounds.InTeam(reach, key);
        if (TeamBounds.MayGrant(reach, key, registry) is { } denied)
        {
            return new KeyCreation(denied, null, null);
        }

        var creation = await registry.CreateKeyAsync(key, cancellationToken).ConfigureAwait(false);
        if (creation.Failure is null)
        {
            await seeder.SeedAsync(creation.Created!, cancellationToken).ConfigureAwait(false);
        }

        return creation;
    }

    /// <summary>Applies a merge patch of the API's fields to a key, as the dashboard's form gives it.</summary>
    internal static Task<(VirtualKey? Key, IdentityError? Failure)> UpdateAsync(string id, JsonElement body, KeyRegistry registry, BudgetSeeder seeder, GuardrailCatalog guards, DateTimeOffset now, Reach reach, CancellationToken cancellationToken) =>
        ApiBody.Bind(body, AdminJson.Default.KeyRequest, out var request) is { } problem
            ? Task.FromResult<(VirtualKey?, IdentityError?)>((null, new IdentityError(400, problem, "invalid_request_error")))
            : UpdateAsync(id, request!, registry, seeder, guards, now, reach, cancellationToken);

    /// <summary>Applies a merge patch of the API's fields to a key.</summary>
    internal static async Task<(VirtualKey? Key, IdentityError? Failure)> UpdateAsync(string id, KeyRequest body, KeyRegistry registry, BudgetSeeder seeder, GuardrailCatalog guards, DateTimeOffset now, Reach reach, CancellationToken cancellationToken)
    {
        if (Find(id, reach, registry) is null)
        {
            return (null, new IdentityError(404, $"No key with id '{id}'.", "not_found"));
        }

        string? problem = null;
        IdentityError? denied = null;
        var (failure, updated) = await registry.UpdateKeyAsync(id, current =>
        {
            problem = Apply(body, current, now, guards, out var next);
            denied = problem is null ? TeamBounds.MayGrant(reach, next!, registry) : null;
            return problem is null && denied is null ? next! with { UpdatedAt = now } : current;
        }, cancellationToken).ConfigureAwait(false);
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
    internal static async Task<(IdentityError? Failure, VirtualKey? Rotated, string? Secret)> RotateAsync(string id, TimeSpan grace, KeyRegistry registry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (registry.FindKey(id) is { RevokedAt: not null })
        {
            return (new IdentityError(409, $"Key '{id}' is revoked; create a new key instead.", "revoked"), null, null);
        }

        var fresh = KeySecret.Generate();
        var (failure, rotated) = await registry.UpdateKeyAsync(id, current => current.RevokedAt is not null ? current : current with
        {
            PreviousHash = grace > TimeSpan.Zero ? current.SecretHash : null,
            PreviousValidUntil = grace > TimeSpan.Zero ? now + grace : null,
            SecretHash = KeySecret.Hash(fresh),
            Hint = KeySecret.Hint(fresh),
            UpdatedAt = now,
        }, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return (failure, null, null);
        }

        if (rotated!.RevokedAt is not null)
        {
            return (new IdentityError(409, $"Key '{id}' is revoked; create a new key instead.", "revoked"), null, null); // revoked meanwhile
        }

        return (null, rotated, fresh);
    }

    /// <summary>Revokes a key at once (revoking twice keeps the first time); its previous secret goes too.</summary>
    internal static Task<(IdentityError? Failure, VirtualKey? Updated)> RevokeAsync(string id, KeyRegistry registry, DateTimeOffset now, CancellationToken cancellationToken) =>
        registry.UpdateKeyAsync(id, current => current.RevokedAt is null ? current with { RevokedAt = now, UpdatedAt = now, PreviousHash = null, PreviousValidUntil = null } : current, cancellationToken);

    /// <summary>Applies the members present in <paramref name="body"/> to <paramref name="current"/>; null clears one. Returns the first problem.</summary>
    private static string? Apply(KeyRequest body, VirtualKey current, DateTimeOffset now, GuardrailCatalog guards, out VirtualKey? next)
    {
        next = null;
        var problem = body.Merge(current, out var metadata, out var limits, out var budget)
            ?? ApiBody.Text("name", body.Name, 200) ?? ApiBody.Text("team", body.Team, 128) ?? ApiBody.Text("user", body.User, 128)
            ?? (body.Has(nameof(body.Name)) && body.Name is null ? "name: cannot be null." : null)
            ?? (body.Models?.Any(string.IsNullOrEmpty) == true ? "models: must be an array of model group names, or null for all models." : null)
            ?? (body.Has(nameof(body.ExpiresAt)) && body.Has(nameof(body.ExpiresIn)) ? "expires_at, expires_in: give one or the other." : null);
        if (problem is not null)
        {
            return problem;
        }

        var scopes = current.Scopes;
        if (body.Has(nameof(body.Scopes)))
        {
            if (body.Scopes is not { Length: > 0 })
            {
                return $"scopes: must be a non-empty array of {KeyScopeNames.Known}.";
            }

            scopes = KeyScopes.None;
            foreach (var item in body.Scopes)
            {
                if (item is null || !KeyScopeNames.TryParse(item, out var scope))
                {
                    return $"scopes: '{item}' is not one of {KeyScopeNames.Known}.";
                }

                scopes |= scope;
            }
        }

        var expires = body.Or(nameof(body.ExpiresAt), body.ExpiresAt, current.ExpiresAt);
        if (body.Has(nameof(body.ExpiresIn)))
        {
            if (body.ExpiresIn is not { } expiresIn)
            {
                expires = null;
            }
            else if (!ApiBody.TryDuration(expiresIn, "expires_in", out var duration, out problem))
            {
                return problem;
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
        if (body.Has(nameof(body.Capture)))
        {
            if (body.Capture is null)
            {
                capture = null;
            }
            else if (!Enum.TryParse<CaptureMode>(body.Capture, ignoreCase: true, out var mode) || int.TryParse(body.Capture, out _))
            {
                return "capture: must be full, sample, metadata, or null to follow tracing.capture.";
            }
            else
            {
                capture = mode;
            }
        }

        if (GuardrailListsPatch.Merge(body.Has(nameof(body.Guardrails)), body.Guardrails, current.Guardrails, guards.Has, out var lists) is { } listProblem)
        {
            return listProblem;
        }

        next = current with
        {
            Name = body.Name ?? current.Name,
            TeamId = body.Or(nameof(body.Team), body.Team, current.TeamId),
            UserId = body.Or(nameof(body.User), body.User, current.UserId),
            MetadataJson = metadata,
            Models = body.Or<IReadOnlyList<string>>(nameof(body.Models), body.Models?.Distinct(StringComparer.Ordinal).ToArray(), current.Models),
            Scopes = scopes,
            ExpiresAt = expires,
            Capture = capture,
            Guardrails = lists,
            Limits = limits,
            Budget = budget,
        };
        return null;
    }
}
