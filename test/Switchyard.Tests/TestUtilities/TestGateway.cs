using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Hosting;
using Switchyard.Identity;

namespace Switchyard.Tests.TestUtilities;

/// <summary>A real Switchyard on a free 127.0.0.1 port with its own data directory.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public const string AdminSecret = "sy-admin-test-key-0123456789abcdef0123456789";

    private readonly WebApplication _app;

    private readonly bool _ownsData;

    private TestGateway(WebApplication app, string dataDirectory, HttpClient client, bool ownsData)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Client = client;
        _ownsData = ownsData;
    }

    public string DataDirectory { get; }

    public HttpClient Client { get; }

    public string BaseUrl => Client.BaseAddress!.ToString().TrimEnd('/');

    public IServiceProvider Services => _app.Services;

    /// <param name="dataDirectory">Reuse a data directory (to test restarts); the caller then deletes it.</param>
    public static async Task<TestGateway> StartAsync(Action<SwitchyardOptions>? configure = null, bool anonymous = true, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null, string? dataDirectory = null)
    {
        var data = dataDirectory ?? NewDataDirectory();
        var options = new SwitchyardOptions();
        options.Server.Urls = "http://127.0.0.1:0";
        options.Server.DataDirectory = data;
        options.ModelGroups["sandbox"] = new ModelGroupOptions { Deployments = [new DeploymentOptions { Name = "sandbox", Provider = "sandbox", Model = "sandbox" }] };
        configure?.Invoke(options);
        var app = SwitchyardApp.Build(options, AdminKey.FromSecret(AdminSecret), new AuthMode(anonymous), services);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        return new TestGateway(app, data, client, ownsData: dataDirectory is null);
    }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "switchyard-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Adds a model group with one deployment pointing at <paramref name="upstream"/>.</summary>
    public static Action<SwitchyardOptions> Upstream(string group, string provider, FakeUpstream upstream, Action<DeploymentOptions>? configure = null) => options =>
    {
        var deployment = new DeploymentOptions { Name = $"{group}-{provider}", Provider = provider, Model = "upstream-" + group, BaseUrl = upstream.BaseUrl, ApiKey = "sk-upstream-secret" };
        configure?.Invoke(deployment);
        options.ModelGroups[group] = new ModelGroupOptions { Deployments = [deployment] };
    };

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (!_ownsData)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
