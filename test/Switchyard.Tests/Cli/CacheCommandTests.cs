using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard cache stats|clear</c> through the real executable.</summary>
public sealed class CacheCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stats_and_clear_by_model_group()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await TestGateway.StartAsync(o =>
        {
            TestGateway.Upstream("a", "openai", upstream)(o);
            var b = new Switchyard.Configuration.DeploymentOptions { Name = "b-openai", Provider = "openai", Model = "b", BaseUrl = upstream.BaseUrl };
            o.ModelGroups["b"] = new Switchyard.Configuration.ModelGroupOptions { Deployments = [b] };
            o.Cache.Exact = true;
        });
        var entries = new List<string>();
        foreach (var model in (string[])["a", "b", "b"])
        {
            using var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi {{entries.Count}}"}]}""", Encoding.UTF8, "application/json"), Ct);
            await response.Content.ReadAsStringAsync(Ct);
            entries.Add(response.Headers.GetValues("x-switchyard-cache-key").Single());
        }

        var deadline = DateTime.UtcNow.AddSeconds(5);
        JsonNode stats;
        do
        {
            var json = await RunAsync(gateway, "cache", "stats", "--format", "json");
            Assert.Equal(0, json.ExitCode);
            stats = JsonNode.Parse(json.StdOut)!;
        }
        while (stats["entries"]!.GetValue<int>() < 3 && DateTime.UtcNow < deadline);

        Assert.Equal(3, stats["entries"]!.GetValue<int>());
        var table = await RunAsync(gateway, "cache", "stats");
        Assert.Contains("entries", table.StdOut);
        Assert.Contains("model group", table.StdOut);
        Assert.Contains("lookups shed (over budget)", table.StdOut);
        Assert.Equal(0, stats["semantic_shed"]!.GetValue<long>());

        var one = await RunAsync(gateway, "cache", "clear", "--entry", entries[2]);
        Assert.Equal(0, one.ExitCode);
        Assert.Contains("removed 1 entries", one.StdOut);

        var cleared = await RunAsync(gateway, "cache", "clear", "--model", "a");
        Assert.Equal(0, cleared.ExitCode);
        Assert.Contains("removed 1 entries", cleared.StdOut);
        var all = await RunAsync(gateway, "cache", "clear");
        Assert.Contains("removed 1 entries", all.StdOut);
    }

    private static Task<CliResult> RunAsync(TestGateway gateway, params string[] args) => CliRunner.RunAsync(gateway.BaseUrl, TestGateway.AdminSecret, Ct, args);
}
