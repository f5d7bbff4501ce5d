using Switchyard.Routing;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Azure OpenAI: deployment URLs (<c>/openai/deployments/{name}/...?api-version=</c>) and the
/// <c>api-key</c> header; with <c>api_version: v1</c>, the OpenAI-style <c>/openai/v1/</c> paths.
/// </summary>
internal sealed class AzureOpenAIAdapter(UpstreamHttp http) : IProviderAdapter
{
    public const string DefaultApiVersion = "2024-10-21";

    private static readonly Func<Deployment, WireFormat, Uri> s_buildUri = static (deployment, format) =>
        BuildUri(deployment.Options.BaseUrl!, deployment.Model, deployment.Options.ApiVersion, format);

    public string Provider => "azure";

    public bool SpeaksAnthropic => false;

    public ValueTask<UpstreamResponse> SendAsync(Deployment deployment, UpstreamRequest request, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, deployment.UpstreamUri(request.Format, s_buildUri));
        if (!string.IsNullOrEmpty(deployment.Options.ApiKey))
        {
            message.Headers.TryAddWithoutValidation("api-key", deployment.Options.ApiKey);
        }

        UpstreamMessages.Complete(message, deployment, request);
        return http.SendAsync(message, deployment.Options.ConnectTimeout, cancellationToken);
    }

    public static Uri BuildUri(string endpoint, string deploymentName, string? apiVersion, WireFormat format)
    {
        var root = endpoint.Trim().TrimEnd('/');
        var version = string.IsNullOrWhiteSpace(apiVersion) ? DefaultApiVersion : apiVersion.Trim();
        var operation = format switch
        {
            WireFormat.OpenAIChat => "chat/completions",
            WireFormat.OpenAIResponses => "responses",
            WireFormat.OpenAIEmbeddings => "embeddings",
            _ => throw new NotSupportedException($"The azure provider does not serve {format}."),
        };

        if (root.EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase))
        {
            root = root[..^"/openai/v1".Length];
            version = "v1";
        }
        else if (root.EndsWith("/openai", StringComparison.OrdinalIgnoreCase))
        {
            root = root[..^"/openai".Length];
        }

        if (version.Equals("v1", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri($"{root}/openai/v1/{operation}");
        }

        // The Responses API is not per deployment on Azure: the model travels in the body.
        return format == WireFormat.OpenAIResponses
            ? new Uri($"{root}/openai/responses?api-version={Uri.EscapeDataString(version)}")
            : new Uri($"{root}/openai/deployments/{Uri.EscapeDataString(deploymentName)}/{operation}?api-version={Uri.EscapeDataString(version)}");
    }
}
