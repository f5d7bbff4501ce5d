using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>SWITCHYARD_URL</c>: the default address of every command that talks to a running gateway.</summary>
public sealed class SwitchyardUrlTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryClientVerb_WithoutUrl_UsesSwitchyardUrl()
    {
        await using var gateway = await TestGateway.StartAsync();
        var environment = new Dictionary<string, string?> { ["SWITCHYARD_URL"] = gateway.BaseUrl };

        foreach (var args in (string[][])[["keys", "list"], ["teams", "list"], ["users", "list"], ["spend"], ["cache", "stats"], ["traces", "list"]])
        {
            var result = await CliRunner.RunAsync(null, TestGateway.AdminSecret, environment, Ct, args);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: exit {result.ExitCode}: {result.StdErr}");
        }
    }

    [Fact]
    public async Task ExplicitUrl_WinsOverSwitchyardUrl()
    {
        await using var gateway = await TestGateway.StartAsync();
        var environment = new Dictionary<string, string?> { ["SWITCHYARD_URL"] = "http://127.0.0.1:1" };

        var result = await CliRunner.RunAsync(gateway.BaseUrl, TestGateway.AdminSecret, environment, Ct, "keys", "list");
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task BadSwitchyardUrl_IsNamedAsTheSource()
    {
        var environment = new Dictionary<string, string?> { ["SWITCHYARD_URL"] = "127.0.0.1:4000" };

        var result = await CliRunner.RunAsync(null, "sy-admin-any", environment, Ct, "keys", "list");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("SWITCHYARD_URL: '127.0.0.1:4000' is not an http:// or https:// address.", result.StdErr);
    }

    [Fact]
    public async Task Help_SaysUrlDefaultsToSwitchyardUrl()
    {
        foreach (var args in (string[][])[["keys", "create"], ["teams", "list"], ["users", "update"], ["spend"], ["cache", "clear"], ["traces", "export"]])
        {
            var result = await CliRunner.RunAsync(null, null, new Dictionary<string, string?>(), Ct, [.. args, "--help"]);
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("$SWITCHYARD_URL, else http://127.0.0.1:4000", result.StdOut);
            Assert.DoesNotContain("[default: http", result.StdOut); // said once, in the description
        }
    }
}
