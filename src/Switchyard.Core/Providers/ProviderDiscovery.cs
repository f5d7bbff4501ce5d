using System.Net.Http.Headers;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Providers;

/// <summary>
/// With no config file, serves the sandbox plus every provider whose key is in the environment (the
/// variables the official SDKs read), under the model names the provider lists at start, or a
/// built-in list when it does not answer.
/// </summary>
internal static class ProviderDiscovery
{
    // Fallback lists: current widely available models, used only when /models does not answer.
    internal static readonly string[] OpenAIModels = ["gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "o3", "o4-mini", "text-embedding-3-small", "text-embedding-3-large"];
    internal static readonly string[] AnthropicModels = ["claude-opus-4-1", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-3-5-haiku-latest"];
    internal static readonly string[] AzureModels = ["gpt-4o", "gpt-4o-mini"];

    public static async Task<IReadOnlyList<string>> DiscoverAsync(SwitchyardOptions options, Func<string, string?> environment, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        options.ModelGroups.TryAdd("sandbox", new ModelGroupOptions
        {
            Deployments = [new DeploymentOptions { Name = "sandbox", Provider = "sandbox", Model = "sandbox" }],
        });
        using var client = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }, disposeHandler: handler is null) { Timeout = options.Server.DiscoveryTimeout };

        if (environment("OPENAI_API_KEY") is { Length: > 0 } openAiKey)
        {
            var baseUrl = environment("OPENAI_BASE_URL");
            var (models, source) = await ListAsync(client, new Uri(OpenAIAdapter.ApiBase(baseUrl) + "models"), r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", openAiKey), OpenAIModels, cancellationToken).ConfigureAwait(false);
            Add(options, models, "openai", m => new DeploymentOptions { Provider = "openai", Model = m, BaseUrl = baseUrl, ApiKey = openAiKey });
            notes.Add($"openai: {models.Count} models ({source})");
        }

        if (environment("ANTHROPIC_API_KEY") is { Length: > 0 } anthropicKey)
        {
            var baseUrl = environment("ANTHROPIC_BASE_URL");
            var (models, source) = await ListAsync(client, new Uri(AnthropicAdapter.ApiRoot(baseUrl) + "v1/models?limit=1000"), r =>
            {
                r.Headers.TryAddWithoutValidation("x-api-key", anthropicKey);
                r.Headers.TryAddWithoutValidation("anthropic-version", AnthropicAdapter.ApiVersion);
            }, AnthropicModels, cancellationToken).ConfigureAwait(false);
            Add(options, models, "anthropic", m => new DeploymentOptions { Provider = "anthropic", Model = m, BaseUrl = baseUrl, ApiKey = anthropicKey });
            notes.Add($"anthropic: {models.Count} models ({source})");
        }

        if (environment("AZURE_OPENAI_API_KEY") is { Length: > 0 } azureKey && environment("AZURE_OPENAI_ENDPOINT") is { Length: > 0 } endpoint)
        {
            var version = environment("OPENAI_API_VERSION") ?? AzureOpenAIAdapter.DefaultApiVersion;
            var (models, source) = await ListAsync(client, new Uri(endpoint.TrimEnd('/') + "/openai/deployments?api-version=2022-12-01"), r => r.Headers.TryAddWithoutValidation("api-key", azureKey), AzureModels, cancellationToken).ConfigureAwait(false);
            Add(options, models, "azure", m => new DeploymentOptions { Provider = "azure", Model = m, BaseUrl = endpoint, ApiKey = azureKey, ApiVersion = version });
            notes.Add($"azure: {models.Count} deployments ({source})");
        }

        return notes;
    }

    private static void Add(SwitchyardOptions options, IReadOnlyList<string> models, string provider, Func<string, DeploymentOptions> create)
    {
        foreach (var model in models)
        {
            // A name another provider already serves is kept under a provider prefix.
            var name = options.ModelGroups.ContainsKey(model) ? $"{provider}/{model}" : model;
            if (options.ModelGroups.ContainsKey(name))
            {
                continue;
            }

            var deployment = create(model);
            deployment.Name = $"{provider}/{model}";
            options.ModelGroups[name] = new ModelGroupOptions { Deployments = [deployment] };
        }
    }

    private static async Task<(IReadOnlyList<string> Models, string Source)> ListAsync(HttpClient client, Uri uri, Action<HttpRequestMessage> authorize, string[] fallback, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            authorize(request);
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (fallback, $"built-in list; /models answered {(int)response.StatusCode}");
            }

            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            var ids = new List<string>();
            if (doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in data.EnumerateArray())
                {
                    if (item.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } name)
                    {
                        ids.Add(name);
                    }
                }
            }

            return ids.Count > 0 ? (ids, "listed by the provider") : (fallback, "built-in list; /models listed none");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (fallback, "built-in list; /models did not answer");
        }
    }
}
