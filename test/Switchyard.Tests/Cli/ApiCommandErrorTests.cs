using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary>How every command that calls the admin API fails: no key, a refused key, no server.</summary>
public sealed class ApiCommandErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoAdminKey_ExitsTwoWithoutCallingTheServer()
    {
        var result = await CliRunner.RunAsync("http://127.0.0.1:9", adminKey: null, Ct, "keys", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("An admin key is needed: --key or SWITCHYARD_ADMIN_KEY.", result.StdErr);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task RefusedKeyAndUnreachableServer_ExitFive_TracesStillWork()
    {
        await using var gateway = await TestGateway.StartAsync();

        var refused = await CliRunner.RunAsync(gateway.BaseUrl, "sy-not-a-key-0123456789", Ct, "spend");
        Assert.Equal(5, refused.ExitCode);
        Assert.StartsWith("401: ", refused.StdErr, StringComparison.Ordinal);

        var traces = await CliRunner.RunAsync(gateway.BaseUrl, TestGateway.AdminSecret, Ct, "traces", "list", "--format", "json");
        Assert.Equal(0, traces.ExitCode);
        Assert.NotNull(JsonNode.Parse(traces.StdOut)!["data"]);

        var unreachable = await CliRunner.RunAsync($"http://127.0.0.1:{ClosedPort()}", TestGateway.AdminSecret, Ct, "teams", "list");
        Assert.Equal(5, unreachable.ExitCode);
        Assert.Contains("Could not reach Switchyard at", unreachable.StdErr);
    }

    /// <summary>A port nothing listens on: one the OS just handed out and got back.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
