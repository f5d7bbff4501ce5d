using System.Net;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary>
/// Every configuration under <c>samples/</c> starts the real executable and answers: a sample that
/// no longer starts is the first thing a new user meets.
/// </summary>
public sealed class SamplesTests : IDisposable
{
    /// <summary>Values for the <c>env:</c> references of the full reference sample (its header lists them).</summary>
    private static readonly Dictionary<string, string?> s_referenceEnvironment = new()
    {
        ["SWITCHYARD_ADMIN_KEY"] = "sy-admin-samples-0123456789abcdef0123456789",
        ["OTLP_API_KEY"] = "otlp",
        ["SLACK_WEBHOOK_URL"] = "https://hooks.slack.com/services/T0/B0/x",
        ["ALERTS_WEBHOOK_TOKEN"] = "Bearer t",
        ["OPENAI_API_KEY"] = "sk-dummy",
        ["OPENAI_ORG_ID"] = "org-dummy",
        ["AZURE_OPENAI_API_KEY"] = "az-dummy",
        ["ANTHROPIC_API_KEY"] = "ak-dummy",
    };

    private readonly string _data = Path.Combine(Path.GetTempPath(), "switchyard-samples-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every YAML file under samples/ except the price file, which is data for a configuration, not one.</summary>
    public static TheoryData<string> Samples() => [.. SampleNames()];

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public void Samples_IncludeMinimalAndReference()
    {
        Assert.Equal(["minimal.yaml", "switchyard.yaml"], SampleNames());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_StartsAndAnswers(string sample)
    {
        // The minimal sample must start as shipped, on a machine with no keys: no environment for it.
        var environment = sample == "switchyard.yaml" ? s_referenceEnvironment : null;
        var config = Path.Combine(RepositoryRoot(), "samples", sample);
        await using var serve = ServeProcess.Start($"serve --config \"{config}\" --urls http://127.0.0.1:0 --data \"{_data}\"", environment);
        var url = await serve.WaitListeningAsync(Ct);
        using var client = new HttpClient { BaseAddress = new Uri(url) };

        using var ready = await client.GetAsync("/health/ready", Ct);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"/health/ready: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync(Ct)}\n{serve.Output}");
        using var models = await client.GetAsync("/v1/models", Ct);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.Contains("\"sandbox\"", await models.Content.ReadAsStringAsync(Ct));
    }

    private static List<string> SampleNames() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot(), "samples"), "*.yaml")
            .Select(file => Path.GetFileName(file))
            .Where(name => name != "prices.yaml")
            .Order(StringComparer.Ordinal)];

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Switchyard.slnx")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException($"No Switchyard.slnx above {AppContext.BaseDirectory}.");
    }
}
