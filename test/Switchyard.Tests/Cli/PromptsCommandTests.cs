using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard prompts ...</c> through the real executable.</summary>
public sealed class PromptsCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Label_rollback_show_diff_and_list()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.SendAsync(HttpMethod.Post, "/api/prompts", """{"name":"greet","prompt":"Hello {{name}}","labels":["production"]}""");
        await gateway.SendAsync(HttpMethod.Post, "/api/prompts", """{"name":"greet","prompt":"Hi {{name}}!"}""");

        var label = await RunAsync(gateway, "prompts", "label", "greet", "2", "production", "--reason", "friendlier");
        Assert.Equal(0, label.ExitCode);
        Assert.Contains("production now points at version 2.", label.StdErr);
        Assert.Equal(2, JsonNode.Parse((await RunAsync(gateway, "prompts", "show", "greet@production")).StdOut)!["version"]!.GetValue<int>());

        var rollback = await RunAsync(gateway, "prompts", "rollback", "greet");
        Assert.Equal(0, rollback.ExitCode);
        Assert.Contains("production: version 2 -> 1.", rollback.StdErr);
        Assert.Equal("Hello {{name}}", JsonNode.Parse((await RunAsync(gateway, "prompts", "show", "greet@production")).StdOut)!["prompt"]!.GetValue<string>());

        var nothingBefore = await RunAsync(gateway, "prompts", "rollback", "greet");
        Assert.Equal(5, nothingBefore.ExitCode);

        var diff = await RunAsync(gateway, "prompts", "diff", "greet", "1", "2");
        Assert.Contains("-Hello {{name}}", diff.StdOut);
        Assert.Contains("+Hi {{name}}!", diff.StdOut);

        var list = await RunAsync(gateway, "prompts", "list");
        Assert.Contains("production=1", list.StdOut);
        Assert.Equal(5, (await RunAsync(gateway, "prompts", "show", "nope")).ExitCode);
    }

    private static Task<CliResult> RunAsync(TestGateway gateway, params string[] args) => CliRunner.RunAsync(gateway.BaseUrl, TestGateway.AdminSecret, Ct, args);
}
