using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Guardrails;
using Switchyard.Identity;
using Switchyard.Spend;

namespace Switchyard.Hosting;

/// <summary><c>/api/teams</c> and <c>/api/users</c>: the owners of keys, each with their own limits and budget.</summary>
internal static class OwnersApi
{
    private const string InvalidCode = "invalid_request_error";

    public static RouteGroupBuilder MapOwnersApi(this RouteGroupBuilder api)
    {
        api.MapPost("/teams", (HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time, GuardrailCatalog guards) =>
            SaveAsync(http, TeamBounds.MayManageTeams(Reach.Of(http)), AdminJson.Default.TeamRequest,
                body => SaveTeamAsync(null, body, registry, seeder, guards, time.GetUtcNow(), http.RequestAborted), team => TeamView.Of(team, budgets), AdminJson.Default.TeamView, 201));
        api.MapGet("/teams", (HttpContext http, KeyRegistry registry, BudgetStatus budgets) =>
            ApiBody.Ok(new DataList<TeamView>([.. registry.Teams.Where(t => TeamBounds.Sees(Reach.Of(http), t)).OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => TeamView.Of(t, budgets))]), AdminJson.Default.DataListTeamView));
        api.MapGet("/teams/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetStatus budgets) =>
            registry.FindTeam(id) is { } team && TeamBounds.Sees(Reach.Of(http), team) ? ApiBody.Ok(TeamView.Of(team, budgets), AdminJson.Default.TeamView) : ApiBody.From(NotFound("team", id)));
        api.MapPatch("/teams/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time, GuardrailCatalog guards) =>
            SaveAsync(http, TeamBounds.MayManageTeams(Reach.Of(http)) ?? (registry.FindTeam(id) is null ? NotFound("team", id) : null), AdminJson.Default.TeamRequest,
                body => SaveTeamAsync(id, body, registry, seeder, guards, time.GetUtcNow(), http.RequestAborted), team => TeamView.Of(team, budgets), AdminJson.Default.TeamView, 200));
        api.MapDelete("/teams/{id}", async (string id, HttpContext http, KeyRegistry registry) =>
            (TeamBounds.MayManageTeams(Reach.Of(http)) ?? await registry.DeleteTeamAsync(id, http.RequestAborted)) is { } failure ? ApiBody.From(failure) : ApiBody.Ok(new DeletedView(id, "team"), AdminJson.Default.DeletedView));

        api.MapPost("/users", (HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time) =>
            SaveAsync(http, null, AdminJson.Default.UserRequest,
                body => SaveUserAsync(null, body, Reach.Of(http), registry, seeder, time.GetUtcNow(), http.RequestAborted), user => UserView.Of(user, budgets), AdminJson.Default.UserView, 201));
        api.MapGet("/users", (HttpContext http, KeyRegistry registry, BudgetStatus budgets) =>
        {
            string? team = http.Request.Query["team"];
            var reach = Reach.Of(http);
            var users = registry.Users.Where(u => (team is null || u.TeamId == team) && TeamBounds.Sees(reach, u)).OrderBy(u => u.Id, StringComparer.Ordinal).Select(u => UserView.Of(u, budgets));
            return ApiBody.Ok(new DataList<UserView>([.. users]), AdminJson.Default.DataListUserView);
        });
        api.MapGet("/users/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetStatus budgets) =>
            FindUser(id, Reach.Of(http), registry) is { } user ? ApiBody.Ok(UserView.Of(user, budgets), AdminJson.Default.UserView) : ApiBody.From(NotFound("user", id)));
        api.MapPatch("/users/{id}", (string id, HttpContext http, KeyRegistry registry, BudgetSeeder seeder, BudgetStatus budgets, TimeProvider time) =>
            SaveAsync(http, FindUser(id, Reach.Of(http), registry) is null ? NotFound("user", id) : null, AdminJson.Default.UserRequest,
                body => SaveUserAsync(id, body, Reach.Of(http), registry, seeder, time.GetUtcNow(), http.RequestAborted), user => UserView.Of(user, budgets), AdminJson.Default.UserView, 200));
        api.MapDelete("/users/{id}", async (string id, HttpContext http, KeyRegistry registry) =>
            (FindUser(id, Reach.Of(http), registry) is null ? NotFound("user", id) : await registry.DeleteUserAsync(id, http.RequestAborted)) is { } failure ? ApiBody.From(failure) : ApiBody.Ok(new DeletedView(id, "user"), AdminJson.Default.DeletedView));
        return api;
    }

    /// <summary>Creates a team (<paramref name="id"/> null) or merges a patch into one from a body of the API's fields, as the dashboard's form gives it.</summary>
    internal static Task<(Team? Team, IdentityError? Failure)> SaveTeamAsync(string? id, JsonElement body, KeyRegistry registry, BudgetSeeder seeder, GuardrailCatalog guards, DateTimeOffset now, CancellationToken cancellationToken) =>
        ApiBody.Bind(body, AdminJson.Default.TeamRequest, out var request) is { } problem
            ? Task.FromResult<(Team?, IdentityError?)>((null, Invalid(problem)))
            : SaveTeamAsync(id, request!, registry, seeder, guards, now, cancellationToken);

    /// <summary>Creates a team (<paramref name="id"/> null) or merges a patch into one.</summary>
    private static async Task<(Team? Team, IdentityError? Failure)> SaveTeamAsync(string? id, TeamRequest body, KeyRegistry registry, BudgetSeeder seeder, GuardrailCatalog guards, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = id is null ? null : registry.FindTeam(id);
        if (id is not null && current is null)
        {
            return (null, NotFound("team", id));
        }

        var team = current ?? new Team { Id = body.Id ?? KeyRegistry.NewId("team_"), CreatedAt = now };
        if ((body.Merge(team, out var metadata, out var limits, out var budget) ?? IdProblem(body, body.Id, current is null) ?? ApiBody.Text("name", body.Name, 200)) is { } problem)
        {
            return (null, Invalid(problem));
        }

        if (GuardrailListsPatch.Merge(body.Has(nameof(body.Guardrails)), body.Guardrails, team.Guardrails, guards.Has, out var lists) is { } listProblem)
        {
            return (null, Invalid(listProblem));
        }

        team = team with { Name = body.Or(nameof(body.Name), body.Name, team.Name), MetadataJson = metadata, Limits = limits, Budget = budget, Guardrails = lists, UpdatedAt = now };
        if (await (current is null ? registry.CreateTeamAsync(team, cancellationToken) : registry.UpdateTeamAsync(team, cancellationToken)).ConfigureAwait(false) is { } failure)
        {
            return (null, failure);
        }

        await seeder.SeedAsync(team, cancellationToken).ConfigureAwait(false);
        return (team, null);
    }

    /// <summary>Creates a user (<paramref name="id"/> null) or merges a patch into one; a key bound to a team keeps its users in it.</summary>
    private static async Task<(UserAccount? User, IdentityError? Failure)> SaveUserAsync(string? id, UserRequest body, Reach reach, KeyRegistry registry, BudgetSeeder seeder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = id is null ? null : FindUser(id, reach, registry);
        if (id is not null && current is null)
        {
            return (null, NotFound("user", id));
        }

        var user = current ?? new UserAccount { Id = body.Id ?? KeyRegistry.NewId("user_"), CreatedAt = now };
        if ((body.Merge(user, out var metadata, out var limits, out var budget) ?? IdProblem(body, body.Id, current is null)
            ?? ApiBody.Text("name", body.Name, 200) ?? ApiBody.Text("email", body.Email, 320) ?? ApiBody.Text("team", body.Team, 128)) is { } problem)
        {
            return (null, Invalid(problem));
        }

        user = user with
        {
            Name = body.Or(nameof(body.Name), body.Name, user.Name),
            Email = body.Or(nameof(body.Email), body.Email, user.Email),
            TeamId = body.Or(nameof(body.Team), body.Team, user.TeamId),
            MetadataJson = metadata,
            Limits = limits,
            Budget = budget,
            UpdatedAt = now,
        };
        user = current is null ? TeamBounds.InTeam(reach, user) : user;
        if ((TeamBounds.MayHold(reach, user) ?? await (current is null ? registry.CreateUserAsync(user, cancellationToken) : registry.UpdateUserAsync(user, cancellationToken)).ConfigureAwait(false)) is { } failure)
        {
            return (null, failure);
        }

        await seeder.SeedAsync(user, cancellationToken).ConfigureAwait(false);
        return (user, null);
    }

    /// <summary>Reads the body and saves with it, unless the request is <paramref name="refused"/> already; answers with what was saved.</summary>
    private static async Task<IResult> SaveAsync<TRequest, TSubject, TView>(HttpContext http, IdentityError? refused, JsonTypeInfo<TRequest> requestType,
        Func<TRequest, Task<(TSubject?, IdentityError?)>> save, Func<TSubject, TView> view, JsonTypeInfo<TView> viewType, int status)
        where TRequest : class
        where TSubject : class
    {
        if (refused is not null)
        {
            return ApiBody.From(refused);
        }

        var (body, error) = await ApiBody.ReadAsync(http, requestType).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }

        // A problem with the body answers without an error code, as these endpoints always have; the dashboard's path shares the error type.
        var (saved, failure) = await save(body).ConfigureAwait(false);
        return failure switch
        {
            null => ApiBody.Ok(view(saved!), viewType, status),
            { Code: InvalidCode } => ApiBody.BadRequest(failure.Message),
            _ => ApiBody.From(failure),
        };
    }

    /// <summary>An id is chosen when creating, or not at all; a patch cannot change it.</summary>
    private static string? IdProblem(PatchBody body, string? id, bool creating) =>
        !body.Has("Id") ? null
        : !creating ? "id: cannot be changed."
        : id is null || !ApiBody.IsValidId(id) ? "id: must be 1-128 letters, digits, '-', '_', '.' or '@'."
        : null;

    private static UserAccount? FindUser(string id, Reach reach, KeyRegistry registry) =>
        registry.FindUser(id) is { } user && TeamBounds.Sees(reach, user) ? user : null;

    private static IdentityError NotFound(string what, string id) => new(404, $"No {what} with id '{id}'.", "not_found");

    private static IdentityError Invalid(string problem) => new(400, problem, InvalidCode);
}
