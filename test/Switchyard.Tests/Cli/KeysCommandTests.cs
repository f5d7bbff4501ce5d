using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard keys ...</c> through the real executable against a real gateway.</summary>
public sealed class KeysCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Keys_CreateUseRotateRevoke_SecretShownOnlyWhenIssued()
    {
        // Keys required, as beyond loopback: with anonymous local use, revoking the last key reopens /v1
        // and a forgotten (rotated-out) secret would pass as anonymous.
        await using var gateway = await TestGateway.StartAsync(anonymous: false);

        var created = await RunAsync(gateway, "keys", "create", "--name", "checkout", "--model", "sandbox", "--rpm", "100");
        Assert.Equal(0, created.ExitCode);
        var secret = created.StdOut.Trim();
        Assert.StartsWith("sy-", secret, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', secret); // the secret alone, so $(switchyard keys create ...) captures it
        Assert.Contains("will not be shown again", created.StdErr);
        var id = System.Text.RegularExpressions.Regex.Match(created.StdErr, @"key_[0-9a-f]+").Value;
        Assert.NotEmpty(id);
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(gateway, secret));

        var list = await RunAsync(gateway, "keys", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(id, list.StdOut);
        Assert.Contains("rpm=100", list.StdOut);
        Assert.Contains($"{secret[..6]}…{secret[^4..]}", list.StdOut); // the hint
        Assert.DoesNotContain(secret, list.StdOut);
        var json = await RunAsync(gateway, "keys", "list", "--format", "json");
        Assert.Equal(id, JsonNode.Parse(json.StdOut)!["data"]![0]!["id"]!.GetValue<string>());
        Assert.DoesNotContain(secret, json.StdOut);

        var rotated = await RunAsync(gateway, "keys", "rotate", id, "--grace", "1h");
        Assert.Equal(0, rotated.ExitCode);
        var newSecret = rotated.StdOut.Trim();
        Assert.StartsWith("sy-", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(secret, newSecret);
        Assert.Contains("old secret works until", rotated.StdErr);
        Assert.Contains("will not be shown again", rotated.StdErr);
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(gateway, newSecret));
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(gateway, secret)); // still in its grace period

        var revoked = await RunAsync(gateway, "keys", "revoke", id);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal("revoked", JsonNode.Parse(revoked.StdOut)!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(gateway, newSecret));
        Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(gateway, secret));

        Assert.DoesNotContain(id, (await RunAsync(gateway, "keys", "list")).StdOut);
        var all = await RunAsync(gateway, "keys", "list", "--include-revoked");
        Assert.Contains(id, all.StdOut);
        Assert.Contains("revoked", all.StdOut);
    }

    [Fact]
    public async Task Keys_Update_MergesIntoLimitsAndBudgetAndClearsThem()
    {
        await using var gateway = await TestGateway.StartAsync();
        var created = await RunAsync(gateway, "keys", "create", "--name", "batch", "--format", "json", "--scope", "inference,read",
            "--tpm", "5000", "--budget-usd", "10", "--budget-window", "daily", "--alert-threshold", "0.5", "0.9", "--metadata", """{"env":"dev"}""");
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("will not be shown again", created.StdErr);
        var key = JsonNode.Parse(created.StdOut)!; // the API's answer as is, secret included
        var id = key["id"]!.GetValue<string>();
        Assert.StartsWith("sy-", key["key"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["inference", "read"], key["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("dev", key["metadata"]!["env"]!.GetValue<string>());

        var updated = await RunAsync(gateway, "keys", "update", id, "--rpm", "20", "--budget-usd", "25", "--name", "batch-2");
        Assert.Equal(0, updated.ExitCode);
        var after = JsonNode.Parse(updated.StdOut)!;
        Assert.Equal("batch-2", after["name"]!.GetValue<string>());
        Assert.Equal(20, after["limits"]!["rpm"]!.GetValue<long>());
        Assert.Equal(5000, after["limits"]!["tpm"]!.GetValue<long>()); // kept: the CLI merges, the API replaces
        Assert.Equal("25", after["budget"]!["max_usd"]!.GetValue<string>());
        Assert.Equal("daily", after["budget"]!["window"]!.GetValue<string>());
        Assert.Equal([0.5, 0.9], after["budget"]!["alert_thresholds"]!.AsArray().Select(t => t!.GetValue<double>()));

        var cleared = await RunAsync(gateway, "keys", "update", id, "--no-limits", "--no-budget");
        Assert.Equal(0, cleared.ExitCode);
        var show = JsonNode.Parse((await RunAsync(gateway, "keys", "show", id)).StdOut)!;
        Assert.Null(show["limits"]!["rpm"]);
        Assert.Null(show["limits"]!["tpm"]);
        Assert.Null(show["budget"]);

        var invalid = await RunAsync(gateway, "keys", "update", id, "--rpm", "0");
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("--rpm: must be a positive number", invalid.StdErr);
        Assert.Empty(invalid.StdOut);
    }

    [Fact]
    public async Task Keys_CreateOrUpdateWithUnservedModel_WarnsNamingItAndTheServedGroups_KeyStillMade()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);

        var created = await RunAsync(gateway, "keys", "create", "--name", "typo", "--model", "sandbox,sandbx", "--format", "json");
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("no model group named 'sandbx'", created.StdErr);
        Assert.Contains("Served: sandbox", created.StdErr);
        Assert.DoesNotContain("'sandbox'", created.StdErr);
        var id = JsonNode.Parse(created.StdOut)!["id"]!.GetValue<string>();
        Assert.Equal(2, JsonNode.Parse(created.StdOut)!["models"]!.AsArray().Count); // kept as asked

        var updated = await RunAsync(gateway, "keys", "update", id, "--model", "ghost-a", "--model", "ghost-b");
        Assert.Equal(0, updated.ExitCode);
        Assert.Contains("no model group named 'ghost-a', 'ghost-b'", updated.StdErr);

        var fine = await RunAsync(gateway, "keys", "create", "--name", "fine", "--model", "sandbox");
        Assert.Equal(0, fine.ExitCode);
        Assert.DoesNotContain("Warning", fine.StdErr);
    }

    [Fact]
    public async Task Keys_CreateWhereV1AlreadyNeededKeys_SaysNothingAboutV1()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);

        var created = await RunAsync(gateway, "keys", "create", "--name", "first", "--format", "json");
        Assert.Equal(0, created.ExitCode);
        Assert.DoesNotContain("/v1", created.StdErr);
        Assert.Null(JsonNode.Parse(created.StdOut)!["v1_now_requires_key"]);
    }

    [Fact]
    public async Task Keys_FirstKeyOnOpenLoopback_AnswerSaysV1NowRequiresKey()
    {
        await using var gateway = await TestGateway.StartAsync();

        var created = await RunAsync(gateway, "keys", "create", "--name", "first", "--format", "json");
        Assert.Equal(0, created.ExitCode);
        Assert.True(JsonNode.Parse(created.StdOut)!["v1_now_requires_key"]!.GetValue<bool>());
        Assert.Contains("/v1 now requires a key", created.StdErr);
    }

    private static Task<CliResult> RunAsync(TestGateway gateway, params string[] args) => CliRunner.RunAsync(gateway.BaseUrl, TestGateway.AdminSecret, Ct, args);

    private static async Task<HttpStatusCode> ChatAsync(TestGateway gateway, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var response = await gateway.Client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
