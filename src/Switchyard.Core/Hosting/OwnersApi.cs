using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Identity;
using Switchyard.Limits;
using Switchyard.Spend;

namespace Switchyard.Hosting;

/// <summary><c>/api/teams</c> and <c>/api/users</c>: the owners of keys, each with their own limits and budget.</summary>
internal static class OwnersApi
{
    private static readonly string[] s_teamFields = ["id", "name", "metadata", "limits", "budget"];
    private static readonly string[] s_userFields = ["id", "name", "email", "team", "metadata", "limits", "budget"];

    public static RouteGroupBuilder MapOwnersApi(this RouteGroupBuilder api)
    {
        api.MapPost("/teams", (HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time) =>
            TeamBounds.MayManageTeams(Reach.Of(http)) is { } denied ? Task.FromResult(ApiBody.From(denied)) : CreateAsync<Team>(http, s_teamFields, "team_", time, seeder, budgets,
                (body, id, now) => ApplyTeam(body, new Team { Id = id, CreatedAt = now, UpdatedAt = now }, out var team) is { } e ? (null, e) : (team, null),
                team => registry.CreateTeam((Team)team), WriteTeam));
        api.MapGet("/teams", (HttpContext http, KeyRegistry registry, BudgetStatus budgets) =>
            List(registry.Teams.Where(t => TeamBounds.Sees(Reach.Of(http), t)).OrderBy(t => t.Id, StringComparer.Ordinal), budgets, WriteTeam));
        api.MapGet("/teams/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetStatus budgets) =>
            registry.FindTeam(id) is { } team && TeamBounds.Sees(Reach.Of(http), team) ? ApiBody.Json(json => WriteTeam(json, team, budgets)) : NotFound("team", id));
        api.MapPatch("/teams/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time) =>
            TeamBounds.MayManageTeams(Reach.Of(http)) is { } denied ? Task.FromResult(ApiBody.From(denied)) : UpdateAsync(http, s_teamFields, registry.FindTeam(id), "team", id, time, seeder, budgets,
                (body, current, now) => ApplyTeam(body, (Team)current, out var team) is { } e ? (null, e) : (team! with { UpdatedAt = now }, null),
                team => registry.UpdateTeam((Team)team), WriteTeam));
        api.MapDelete("/teams/{id}", (string id, HttpContext http, KeyRegistry registry) =>
            (TeamBounds.MayManageTeams(Reach.Of(http)) ?? registry.DeleteTeam(id)) is { } failure ? ApiBody.From(failure) : ApiBody.Json(json => Deleted(json, id, "team")));

        api.MapPost("/users", (HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time) =>
            CreateAsync<UserAccount>(http, s_userFields, "user_", time, seeder, budgets,
                (body, id, now) => ApplyUser(body, new UserAccount { Id = id, CreatedAt = now, UpdatedAt = now }, out var user) is { } e ? (null, e) : (TeamBounds.InTeam(Reach.Of(http), user!), null),
                user => TeamBounds.MayHold(Reach.Of(http), (UserAccount)user) ?? registry.CreateUser((UserAccount)user), WriteUser));
        api.MapGet("/users", (HttpContext http, KeyRegistry registry, BudgetStatus budgets) =>
        {
            string? team = http.Request.Query["team"];
            var reach = Reach.Of(http);
            return List(registry.Users.Where(u => (team is null || u.TeamId == team) && TeamBounds.Sees(reach, u)).OrderBy(u => u.Id, StringComparer.Ordinal), budgets, WriteUser);
        });
        api.MapGet("/users/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetStatus budgets) =>
            FindUser(id, http, registry) is { } user ? ApiBody.Json(json => WriteUser(json, user, budgets)) : NotFound("user", id));
        api.MapPatch("/users/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time) =>
            UpdateAsync(http, s_userFields, FindUser(id, http, registry), "user", id, time, seeder, budgets,
                (body, current, now) => ApplyUser(body, (UserAccount)current, out var user) is { } e ? (null, e) : (user! with { UpdatedAt = now }, null),
                user => TeamBounds.MayHold(Reach.Of(http), (UserAccount)user) ?? registry.UpdateUser((UserAccount)user), WriteUser));
        api.MapDelete("/users/{id}", (string id, HttpContext http, KeyRegistry registry) =>
            (FindUser(id, http, registry) is null ? new IdentityError(404, $"No user with id '{id}'.", "not_found") : registry.DeleteUser(id)) is { } failure ? ApiBody.From(failure) : ApiBody.Json(json => Deleted(json, id, "user")));
        return api;
    }

    /// <summary>
    /// Reads <c>limits</c> and <c>budget</c> if present, merged into the current ones as a JSON merge
    /// patch: <c>{"limits":{"rpm":20}}</c> changes only the rpm; null clears a field or the whole object.
    /// </summary>
    public static string? ApplyPolicy(JsonElement body, RateLimits currentLimits, Budget? currentBudget, out RateLimits limits, out Budget? budget)
    {
        limits = currentLimits;
        budget = currentBudget;
        if (body.TryGetProperty("limits", out var limitsValue) && !PolicyJson.TryParseLimits(limitsValue, "limits", out limits, out var error, currentLimits))
        {
            return error;
        }

        if (body.TryGetProperty("budget", out var budgetValue) && !PolicyJson.TryParseBudget(budgetValue, "budget", out budget, out error, currentBudget))
        {
            return error;
        }

        return null;
    }

    private static async Task<IResult> CreateAsync<T>(HttpContext http, string[] fields, string idPrefix, TimeProvider time, BudgetSeeder seeder, BudgetStatus budgets,
        Func<JsonElement, string, DateTimeOffset, (LimitedSubject?, string?)> build, Func<LimitedSubject, IdentityError?> create, Action<Utf8JsonWriter, T, BudgetStatus> write)
        where T : LimitedSubject
    {
        var (document, error) = await ApiBody.ReadObjectAsync(http, fields).ConfigureAwait(false);
        if (document is null)
        {
            return error!;
        }

        using (document)
        {
            var body = document.RootElement;
            var id = KeyRegistry.NewId(idPrefix);
            if (body.TryGetProperty("id", out var idValue))
            {
                if (idValue.ValueKind != JsonValueKind.String || !ApiBody.IsValidId(idValue.GetString()!))
                {
                    return ApiBody.BadRequest("id: must be 1-128 letters, digits, '-', '_', '.' or '@'.");
                }

                id = idValue.GetString()!;
            }

            var (subject, problem) = build(body, id, time.GetUtcNow());
            if (problem is not null)
            {
                return ApiBody.BadRequest(problem);
            }

            if (create(subject!) is { } failure)
            {
                return ApiBody.From(failure);
            }

            await seeder.SeedAsync(subject!, http.RequestAborted).ConfigureAwait(false);
            return ApiBody.Json(json => write(json, (T)subject!, budgets), 201);
        }
    }

    private static async Task<IResult> UpdateAsync<T>(HttpContext http, string[] fields, T? current, string what, string id, TimeProvider time, BudgetSeeder seeder, BudgetStatus budgets,
        Func<JsonElement, LimitedSubject, DateTimeOffset, (LimitedSubject?, string?)> change, Func<LimitedSubject, IdentityError?> update, Action<Utf8JsonWriter, T, BudgetStatus> write)
        where T : LimitedSubject
    {
        if (current is null)
        {
            return NotFound(what, id);
        }

        var (document, error) = await ApiBody.ReadObjectAsync(http, fields).ConfigureAwait(false);
        if (document is null)
        {
            return error!;
        }

        using (document)
        {
            if (document.RootElement.TryGetProperty("id", out _))
            {
                return ApiBody.BadRequest("id: cannot be changed.");
            }

            var (next, problem) = change(document.RootElement, current, time.GetUtcNow());
            if (problem is not null)
            {
                return ApiBody.BadRequest(problem);
            }

            if (update(next!) is { } failure)
            {
                return ApiBody.From(failure);
            }

            await seeder.SeedAsync(next!, http.RequestAborted).ConfigureAwait(false);
            return ApiBody.Json(json => write(json, (T)next!, budgets));
        }
    }

    /// <summary>Creates a team (<paramref name="id"/> null) or merges a patch into one, as the API does; for the dashboard's forms.</summary>
    internal static async Task<(Team? Team, IdentityError? Failure)> SaveTeamAsync(string? id, JsonElement body, KeyRegistry registry, BudgetSeeder seeder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Team? saved;
        if (id is null)
        {
            var newId = KeyRegistry.NewId("team_");
            if (body.TryGetProperty("id", out var idValue))
            {
                if (idValue.ValueKind != JsonValueKind.String || !ApiBody.IsValidId(idValue.GetString()!))
                {
                    return (null, new IdentityError(400, "id: letters, digits, '-', '_' and '.', up to 128 characters.", "invalid_request_error"));
                }

                newId = idValue.GetString()!;
            }
            if (ApplyTeam(body, new Team { Id = newId, CreatedAt = now, UpdatedAt = now }, out saved) is { } problem)
            {
                return (null, new IdentityError(400, problem, "invalid_request_error"));
            }

            if (registry.CreateTeam(saved!) is { } failure)
            {
                return (null, failure);
            }
        }
        else
        {
            if (registry.FindTeam(id) is not { } current)
            {
                return (null, new IdentityError(404, $"No team with id '{id}'.", "not_found"));
            }

            if (ApplyTeam(body, current, out saved) is { } problem)
            {
                return (null, new IdentityError(400, problem, "invalid_request_error"));
            }

            saved = saved! with { UpdatedAt = now };
            if (registry.UpdateTeam(saved) is { } failure)
            {
                return (null, failure);
            }
        }

        await seeder.SeedAsync(saved!, cancellationToken).ConfigureAwait(false);
        return (saved, null);
    }

    private static string? ApplyTeam(JsonElement body, Team current, out Team? team)
    {
        team = null;
        if (!ApiBody.TryString(body, "name", current.Name, 200, out var name, out var error) || !ApiBody.TryMetadata(body, current.MetadataJson, out var metadata, out error))
        {
            return error;
        }

        if (ApplyPolicy(body, current.Limits, current.Budget, out var limits, out var budget) is { } policyError)
        {
            return policyError;
        }

        team = current with { Name = name, MetadataJson = metadata, Limits = limits, Budget = budget };
        return null;
    }

    private static string? ApplyUser(JsonElement body, UserAccount current, out UserAccount? user)
    {
        user = null;
        if (!ApiBody.TryString(body, "name", current.Name, 200, out var name, out var error)
            || !ApiBody.TryString(body, "email", current.Email, 320, out var email, out error)
            || !ApiBody.TryString(body, "team", current.TeamId, 128, out var team, out error)
            || !ApiBody.TryMetadata(body, current.MetadataJson, out var metadata, out error))
        {
            return error;
        }

        if (ApplyPolicy(body, current.Limits, current.Budget, out var limits, out var budget) is { } policyError)
        {
            return policyError;
        }

        user = current with { Name = name, Email = email, TeamId = team, MetadataJson = metadata, Limits = limits, Budget = budget };
        return null;
    }

    private static void WriteTeam(Utf8JsonWriter json, Team team, BudgetStatus budgets)
    {
        json.WriteStartObject();
        json.WriteString("id", team.Id);
        json.WriteString("object", "team");
        KeysApi.WriteNullable(json, "name", team.Name);
        WriteCommon(json, team, budgets);
        json.WriteEndObject();
    }

    private static void WriteUser(Utf8JsonWriter json, UserAccount user, BudgetStatus budgets)
    {
        json.WriteStartObject();
        json.WriteString("id", user.Id);
        json.WriteString("object", "user");
        KeysApi.WriteNullable(json, "name", user.Name);
        KeysApi.WriteNullable(json, "email", user.Email);
        KeysApi.WriteNullable(json, "team", user.TeamId);
        WriteCommon(json, user, budgets);
        json.WriteEndObject();
    }

    private static void WriteCommon(Utf8JsonWriter json, LimitedSubject subject, BudgetStatus budgets)
    {
        ApiBody.WriteRaw(json, "metadata", subject.MetadataJson);
        PolicyJson.Write(json, "limits", subject.Limits);
        PolicyJson.Write(json, "budget", subject.Budget);
        budgets.Write(json, subject);
        ApiBody.WriteTime(json, "created_at", subject.CreatedAt);
        ApiBody.WriteTime(json, "updated_at", subject.UpdatedAt);
    }

    private static IResult List<T>(IEnumerable<T> items, BudgetStatus budgets, Action<Utf8JsonWriter, T, BudgetStatus> write) => ApiBody.Json(json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("data");
        foreach (var item in items)
        {
            write(json, item, budgets);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static void Deleted(Utf8JsonWriter json, string id, string what)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", what);
        json.WriteBoolean("deleted", true);
        json.WriteEndObject();
    }

    private static UserAccount? FindUser(string id, HttpContext http, KeyRegistry registry) =>
        registry.FindUser(id) is { } user && TeamBounds.Sees(Reach.Of(http), user) ? user : null;

    private static IResult NotFound(string what, string id) => ApiBody.Error(404, $"No {what} with id '{id}'.", "not_found");
}
