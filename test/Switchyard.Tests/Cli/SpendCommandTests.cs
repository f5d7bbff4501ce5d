using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Spend;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard spend</c> through the real executable, after priced calls.</summary>
public sealed class SpendCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Spend_ByKeyAndModel_TableAndJson()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(TestGateway.Upstream("gpt-4o", "openai", upstream, d => d.Model = "gpt-4o"));
        var created = await RunAsync(gateway, "keys", "create", "--name", "app", "--format", "json");
        var key = JsonNode.Parse(created.StdOut)!;
        var (id, secret) = (key["id"]!.GetValue<string>(), key["key"]!.GetValue<string>());

        // 67.5 micro-USD a call at gpt-4o prices (see TracesApiTests); two with the key, one with the admin key.
        foreach (var bearer in (string[])[secret, secret, TestGateway.AdminSecret])
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var response = await gateway.Client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await gateway.Services.GetRequiredService<SpendLedger>().FlushAsync(Ct);

        var json = await RunAsync(gateway, "spend", "--group-by", "key,model", "--format", "json");
        Assert.Equal(0, json.ExitCode);
        var report = JsonNode.Parse(json.StdOut)!;
        var mine = Assert.Single(report["data"]!.AsArray(), row => row!["key"]?.GetValue<string>() == id)!;
        Assert.Equal("gpt-4o", mine["model"]!.GetValue<string>());
        Assert.Equal(2, mine["requests"]!.GetValue<long>());
        Assert.Equal("0.000135", mine["cost_usd"]!.GetValue<string>());
        Assert.Equal(3, report["total"]!["requests"]!.GetValue<long>());

        var table = await RunAsync(gateway, "spend", "--group-by", "key", "--key-id", id);
        Assert.Equal(0, table.ExitCode);
        var lines = table.StdOut.TrimEnd().Split('\n');
        Assert.Equal(["key", "requests", "input", "tokens", "output", "tokens", "cost", "USD"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal([id, "2", "24", "8", "0.000135"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["total", "2", "24", "8", "0.000135"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(3, lines.Length);
    }

    private static Task<CliResult> RunAsync(TestGateway gateway, params string[] args) => CliRunner.RunAsync(gateway.BaseUrl, TestGateway.AdminSecret, Ct, args);
}
