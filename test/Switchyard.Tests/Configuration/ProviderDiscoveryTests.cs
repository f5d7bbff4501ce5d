using System.Net;
using Switchyard.Configuration;
using Switchyard.Providers;
using Xunit;

namespace Switchyard.Tests.Configuration;

public sealed class ProviderDiscoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Discover_NoKeys_ServesSandboxOnly()
    {
        var options = new SwitchyardOptions();

        await ProviderDiscovery.DiscoverAsync(options, _ => null, new Handler(_ => throw new InvalidOperationException("no call expected")), Ct);

        Assert.Equal(["sandbox"], options.ModelGroups.Keys);
    }

    [Fact]
    public async Task Discover_ProvidersListModels_UsesTheirNames()
    {
        var options = new SwitchyardOptions();
        var env = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk", ["OPENAI_BASE_URL"] = "http://local:1/v1", ["ANTHROPIC_API_KEY"] = "ak" };
        var seen = new List<string>();
        var handler = new Handler(request =>
        {
            seen.Add(request.RequestUri!.ToString());
            var body = request.RequestUri!.Host == "local"
                ? """{"data":[{"id":"llama-3"},{"id":"qwen"}]}"""
                : """{"data":[{"id":"claude-x","type":"model"}]}""";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) };
        });

        var notes = await ProviderDiscovery.DiscoverAsync(options, env.GetValueOrDefault, handler, Ct);

        Assert.Contains("http://local:1/v1/models", seen);
        Assert.Contains("https://api.anthropic.com/v1/models?limit=1000", seen);
        Assert.Equal("openai", options.ModelGroups["llama-3"].Deployments[0].Provider);
        Assert.Equal("http://local:1/v1", options.ModelGroups["qwen"].Deployments[0].BaseUrl);
        Assert.Equal("anthropic", options.ModelGroups["claude-x"].Deployments[0].Provider);
        Assert.Equal(2, notes.Count);
    }

    [Fact]
    public async Task Discover_ProviderDoesNotAnswer_UsesBuiltInList()
    {
        var options = new SwitchyardOptions();
        var env = new Dictionary<string, string?> { ["AZURE_OPENAI_API_KEY"] = "k", ["AZURE_OPENAI_ENDPOINT"] = "https://res.openai.azure.com" };

        var notes = await ProviderDiscovery.DiscoverAsync(options, env.GetValueOrDefault, new Handler(_ => throw new HttpRequestException("down")), Ct);

        Assert.Contains(notes, n => n.Contains("built-in list", StringComparison.Ordinal));
        Assert.Equal("azure", options.ModelGroups["gpt-4o"].Deployments[0].Provider);
        Assert.Equal("https://res.openai.azure.com", options.ModelGroups["gpt-4o"].Deployments[0].BaseUrl);
    }

    private sealed class Handler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(respond(request));
    }
}
