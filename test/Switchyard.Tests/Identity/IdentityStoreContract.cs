using Switchyard.Configuration;
using Switchyard.Identity;
using Switchyard.Limits;
using Xunit;

namespace Switchyard.Tests.Identity;

/// <summary>
/// What every <see cref="IIdentityStore"/> must do: keep every field of keys, users and teams, replace
/// rows whole on save, forget deleted ones, and show one instance's writes to another on the same data.
/// Each implementation runs it by deriving from this class.
/// </summary>
public abstract class IdentityStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over fresh, empty data.</summary>
    internal abstract IIdentityStore CreateStore();

    /// <summary>Another store instance over the data of the last <see cref="CreateStore"/>, as a second gateway would see it.</summary>
    internal abstract IIdentityStore OpenAnother();

    [Fact]
    public async Task An_empty_store_loads_nothing()
    {
        var loaded = await CreateStore().LoadAllAsync(Ct);
        Assert.Empty(loaded.Teams);
        Assert.Empty(loaded.Users);
        Assert.Empty(loaded.Keys);
    }

    [Fact]
    public async Task Every_field_of_a_key_comes_back()
    {
        var store = CreateStore();
        var key = FullKey();
        await SaveOwnersAsync(store);
        await store.SaveKeyAsync(key, Ct);

        var loaded = Assert.Single((await OpenAnother().LoadAllAsync(Ct)).Keys);
        Assert.Equal(key.Id, loaded.Id);
        Assert.Equal(key.Name, loaded.Name);
        Assert.Equal(key.Hint, loaded.Hint);
        Assert.True(key.SecretHash.FixedTimeEquals(loaded.SecretHash));
        Assert.True(key.PreviousHash!.Value.FixedTimeEquals(loaded.PreviousHash!.Value));
        Assert.Equal(key.PreviousValidUntil, loaded.PreviousValidUntil);
        Assert.Equal("t1", loaded.TeamId);
        Assert.Equal("u1", loaded.UserId);
        Assert.Equal(KeyScopes.Inference | KeyScopes.Read, loaded.Scopes);
        Assert.Equal(["sandbox", "cheap"], loaded.Models!);
        Assert.Equal(key.ExpiresAt, loaded.ExpiresAt);
        Assert.Equal(key.RevokedAt, loaded.RevokedAt);
        Assert.Equal(CaptureMode.Metadata, loaded.Capture);
        Assert.Equal(["pii", "injection"], loaded.Guardrails!.Input!);
        Assert.Empty(loaded.Guardrails.Output!);
        Assert.Equal("""{"app":"search"}""", loaded.MetadataJson);
        Assert.Equal(new RateLimits(10, 1000, 2), loaded.Limits);
        AssertBudget(key.Budget!, loaded.Budget!);
        Assert.Equal(T0, loaded.CreatedAt);
        Assert.Equal(T0.AddMinutes(1), loaded.UpdatedAt);
    }

    [Fact]
    public async Task A_key_with_only_the_required_fields_comes_back_with_nulls()
    {
        var store = CreateStore();
        await store.SaveKeyAsync(new VirtualKey { Id = "k2", Name = "bare", Hint = "sy-…", SecretHash = KeySecret.Hash("sy-bare"), CreatedAt = T0, UpdatedAt = T0 }, Ct);

        var loaded = Assert.Single((await store.LoadAllAsync(Ct)).Keys);
        Assert.Null(loaded.PreviousHash);
        Assert.Null(loaded.PreviousValidUntil);
        Assert.Null(loaded.TeamId);
        Assert.Null(loaded.UserId);
        Assert.Equal(KeyScopes.Inference, loaded.Scopes);
        Assert.Null(loaded.Models);
        Assert.Null(loaded.ExpiresAt);
        Assert.Null(loaded.RevokedAt);
        Assert.Null(loaded.Capture);
        Assert.Null(loaded.Guardrails);
        Assert.Null(loaded.MetadataJson);
        Assert.Equal(RateLimits.None, loaded.Limits);
        Assert.Null(loaded.Budget);
    }

    [Fact]
    public async Task Saving_a_key_again_replaces_it_but_keeps_its_creation_time()
    {
        var store = CreateStore();
        var key = FullKey();
        await SaveOwnersAsync(store);
        await store.SaveKeyAsync(key, Ct);
        var rotated = key with
        {
            Name = "renamed",
            SecretHash = KeySecret.Hash("sy-rotated"),
            PreviousHash = null,
            PreviousValidUntil = null,
            TeamId = null,
            Models = null,
            RevokedAt = T0.AddHours(2),
            Budget = null,
            CreatedAt = T0.AddDays(5),
            UpdatedAt = T0.AddHours(2),
        };
        await store.SaveKeyAsync(rotated, Ct);

        var loaded = Assert.Single((await OpenAnother().LoadAllAsync(Ct)).Keys);
        Assert.Equal("renamed", loaded.Name);
        Assert.True(KeySecret.Hash("sy-rotated").FixedTimeEquals(loaded.SecretHash));
        Assert.Null(loaded.PreviousHash);
        Assert.Null(loaded.PreviousValidUntil);
        Assert.Null(loaded.TeamId);
        Assert.Null(loaded.Models);
        Assert.Equal(T0.AddHours(2), loaded.RevokedAt);
        Assert.Null(loaded.Budget);
        Assert.Equal(T0, loaded.CreatedAt);
        Assert.Equal(T0.AddHours(2), loaded.UpdatedAt);
    }

    [Fact]
    public async Task Teams_and_users_keep_their_fields_and_are_replaced_on_save()
    {
        var store = CreateStore();
        var budget = new Budget(5_000_000_000, BudgetWindowKind.Monthly, BudgetMode.Soft, [0.9]);
        await store.SaveTeamAsync(new Team { Id = "t1", Name = "Search", MetadataJson = """{"cost_centre":42}""", Limits = new RateLimits(100, null, null), Budget = budget, Guardrails = new GuardrailLists { Output = ["toxicity"] }, CreatedAt = T0, UpdatedAt = T0 }, Ct);
        await store.SaveUserAsync(new UserAccount { Id = "u1", Name = "Ana", Email = "ana@example.com", TeamId = "t1", Limits = new RateLimits(null, 500, null), CreatedAt = T0, UpdatedAt = T0 }, Ct);
        await store.SaveTeamAsync(new Team { Id = "t2", CreatedAt = T0, UpdatedAt = T0 }, Ct);

        var loaded = await OpenAnother().LoadAllAsync(Ct);
        var team = Assert.Single(loaded.Teams, t => t.Id == "t1");
        Assert.Equal("Search", team.Name);
        Assert.Equal("""{"cost_centre":42}""", team.MetadataJson);
        Assert.Equal(new RateLimits(100, null, null), team.Limits);
        AssertBudget(budget, team.Budget!);
        Assert.Null(team.Guardrails!.Input);
        Assert.Equal(["toxicity"], team.Guardrails.Output!);
        var bare = Assert.Single(loaded.Teams, t => t.Id == "t2");
        Assert.Null(bare.Name);
        Assert.Null(bare.Guardrails);
        Assert.Null(bare.Budget);
        var user = Assert.Single(loaded.Users);
        Assert.Equal(("u1", "Ana", "ana@example.com", "t1"), (user.Id, user.Name, user.Email, user.TeamId));
        Assert.Equal(new RateLimits(null, 500, null), user.Limits);

        await store.SaveUserAsync(user with { Name = null, Email = null, TeamId = null, UpdatedAt = T0.AddHours(1) }, Ct);
        await store.SaveTeamAsync(team with { Name = "Search & Ads", Budget = null, UpdatedAt = T0.AddHours(1) }, Ct);
        loaded = await store.LoadAllAsync(Ct);
        user = Assert.Single(loaded.Users);
        Assert.Equal(("u1", null, null, null), (user.Id, user.Name, user.Email, user.TeamId));
        Assert.Equal(T0.AddHours(1), user.UpdatedAt);
        team = Assert.Single(loaded.Teams, t => t.Id == "t1");
        Assert.Equal("Search & Ads", team.Name);
        Assert.Null(team.Budget);
    }

    [Fact]
    public async Task Deleted_teams_and_users_are_gone_and_deleting_a_missing_one_is_no_error()
    {
        var store = CreateStore();
        await store.SaveTeamAsync(new Team { Id = "t1", CreatedAt = T0, UpdatedAt = T0 }, Ct);
        await store.SaveTeamAsync(new Team { Id = "t2", CreatedAt = T0, UpdatedAt = T0 }, Ct);
        await store.SaveUserAsync(new UserAccount { Id = "u1", CreatedAt = T0, UpdatedAt = T0 }, Ct);

        await store.DeleteTeamAsync("t1", Ct);
        await store.DeleteUserAsync("u1", Ct);
        await store.DeleteTeamAsync("missing", Ct);
        await store.DeleteUserAsync("missing", Ct);

        var loaded = await OpenAnother().LoadAllAsync(Ct);
        Assert.Equal("t2", Assert.Single(loaded.Teams).Id);
        Assert.Empty(loaded.Users);
    }

    [Fact]
    public async Task Many_keys_are_all_kept()
    {
        var store = CreateStore();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => store.SaveKeyAsync(
            new VirtualKey { Id = $"k{i}", Name = $"key {i}", Hint = "sy-…", SecretHash = KeySecret.Hash($"sy-{i}"), CreatedAt = T0, UpdatedAt = T0 }, Ct)));

        var keys = (await OpenAnother().LoadAllAsync(Ct)).Keys;
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"k{i}").Order(StringComparer.Ordinal), keys.Select(k => k.Id).Order(StringComparer.Ordinal));
    }

    private static async Task SaveOwnersAsync(IIdentityStore store)
    {
        await store.SaveTeamAsync(new Team { Id = "t1", CreatedAt = T0, UpdatedAt = T0 }, Ct);
        await store.SaveUserAsync(new UserAccount { Id = "u1", TeamId = "t1", CreatedAt = T0, UpdatedAt = T0 }, Ct);
    }

    private static VirtualKey FullKey() => new()
    {
        Id = "k1",
        Name = "search-app",
        Hint = "sy-abc…wxyz",
        SecretHash = KeySecret.Hash("sy-current"),
        PreviousHash = KeySecret.Hash("sy-previous"),
        PreviousValidUntil = T0.AddHours(24),
        TeamId = "t1",
        UserId = "u1",
        Scopes = KeyScopes.Inference | KeyScopes.Read,
        Models = ["sandbox", "cheap"],
        ExpiresAt = T0.AddDays(30),
        RevokedAt = T0.AddDays(1),
        Capture = CaptureMode.Metadata,
        Guardrails = new GuardrailLists { Input = ["pii", "injection"], Output = [] },
        MetadataJson = """{"app":"search"}""",
        Limits = new RateLimits(10, 1000, 2),
        Budget = new Budget(1_500_000_000, BudgetWindowKind.Daily, BudgetMode.Hard, [0.5, 1.0]),
        CreatedAt = T0,
        UpdatedAt = T0.AddMinutes(1),
    };

    private static void AssertBudget(Budget expected, Budget actual)
    {
        Assert.Equal((expected.AmountNanoUsd, expected.Window, expected.Mode), (actual.AmountNanoUsd, actual.Window, actual.Mode));
        Assert.Equal(expected.AlertThresholds, actual.AlertThresholds);
    }
}
