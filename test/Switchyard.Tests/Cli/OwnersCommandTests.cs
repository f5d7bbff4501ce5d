using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard teams ...</c> and <c>switchyard users ...</c> through the real executable.</summary>
public sealed class OwnersCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TeamsAndUsers_CreateListUpdateDelete()
    {
        await using var gateway = await TestGateway.StartAsync();

        var team = await RunAsync(gateway, "teams", "create", "--id", "eng", "--name", "Engineering", "--budget-usd", "100", "--budget-mode", "soft");
        Assert.Equal(0, team.ExitCode);
        Assert.Equal("soft", JsonNode.Parse(team.StdOut)!["budget"]!["mode"]!.GetValue<string>());
        var user = await RunAsync(gateway, "users", "create", "--id", "alice", "--email", "alice@example.com", "--team", "eng", "--rpm", "30");
        Assert.Equal(0, user.ExitCode);
        Assert.Contains("Created user alice", user.StdErr);

        var teams = await RunAsync(gateway, "teams", "list");
        Assert.Contains("Engineering", teams.StdOut);
        Assert.Contains("0/100 monthly soft", teams.StdOut);
        var users = await RunAsync(gateway, "users", "list", "--team", "eng", "--format", "json");
        var alice = Assert.Single(JsonNode.Parse(users.StdOut)!["data"]!.AsArray())!;
        Assert.Equal("alice@example.com", alice["email"]!.GetValue<string>());
        Assert.Equal(30, alice["limits"]!["rpm"]!.GetValue<long>());

        // The API refuses to delete a team with members: its message, on stderr, with exit code 5.
        var refused = await RunAsync(gateway, "teams", "delete", "eng");
        Assert.Equal(5, refused.ExitCode);
        Assert.Equal("409: Team 'eng' still has users or active keys; move them or revoke the keys first.", refused.StdErr.Trim());

        var moved = await RunAsync(gateway, "users", "update", "alice", "--no-team", "--name", "Alice", "--tpm", "900");
        Assert.Equal(0, moved.ExitCode);
        var shown = JsonNode.Parse((await RunAsync(gateway, "users", "show", "alice")).StdOut)!;
        Assert.Equal("Alice", shown["name"]!.GetValue<string>());
        Assert.Null(shown["team"]);
        Assert.Equal(30, shown["limits"]!["rpm"]!.GetValue<long>());
        Assert.Equal(900, shown["limits"]!["tpm"]!.GetValue<long>());

        Assert.Equal(0, (await RunAsync(gateway, "teams", "update", "eng", "--no-budget")).ExitCode);
        Assert.Equal(0, (await RunAsync(gateway, "teams", "delete", "eng")).ExitCode);
        Assert.Equal(0, (await RunAsync(gateway, "users", "delete", "alice")).ExitCode);
        var gone = await RunAsync(gateway, "teams", "show", "eng");
        Assert.Equal(5, gone.ExitCode);
        Assert.Equal("404: No team with id 'eng'.", gone.StdErr.Trim());
    }

    [Fact]
    public async Task GuardLists_SetPerDirection_NoneRunsNothing_InheritClears()
    {
        await using var gateway = await TestGateway.StartAsync(options =>
        {
            options.Guardrails.Guards["pii"] = new Switchyard.Configuration.GuardOptions { Type = Switchyard.Configuration.GuardType.Pii };
            options.Guardrails.Guards["toxicity"] = new Switchyard.Configuration.GuardOptions { Type = Switchyard.Configuration.GuardType.Toxicity };
        });

        Assert.Equal(0, (await RunAsync(gateway, "teams", "create", "--id", "eng", "--input-guards", "pii", "--output-guards", "none")).ExitCode);
        var team = JsonNode.Parse((await RunAsync(gateway, "teams", "show", "eng")).StdOut)!;
        Assert.Equal("""{"input":["pii"],"output":[]}""", team["guardrails"]!.ToJsonString());

        var key = await RunAsync(gateway, "keys", "create", "--name", "k", "--team", "eng", "--output-guards", "toxicity,pii", "--format", "json");
        Assert.Equal(0, key.ExitCode);
        var id = JsonNode.Parse(key.StdOut)!["id"]!.GetValue<string>();
        Assert.Equal("""["toxicity","pii"]""", JsonNode.Parse((await RunAsync(gateway, "keys", "show", id)).StdOut)!["guardrails"]!["output"]!.ToJsonString());

        var unknown = await RunAsync(gateway, "keys", "update", id, "--input-guards", "nope");
        Assert.Equal(5, unknown.ExitCode);
        Assert.Contains("guardrails.input: 'nope'", unknown.StdErr);

        Assert.Equal(0, (await RunAsync(gateway, "teams", "update", "eng", "--inherit-guards")).ExitCode);
        Assert.Null(JsonNode.Parse((await RunAsync(gateway, "teams", "show", "eng")).StdOut)!["guardrails"]);
    }

    private static Task<CliResult> RunAsync(TestGateway gateway, params string[] args) => CliRunner.RunAsync(gateway.BaseUrl, TestGateway.AdminSecret, Ct, args);
}
