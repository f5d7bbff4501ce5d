using Switchyard.Routing;

namespace Switchyard.Providers.Anthropic;

/// <summary>Anthropic's Messages API: <c>x-api-key</c> and <c>anthropic-version</c> headers.</summary>
internal sealed class AnthropicAdapter(UpstreamHttp http) : IProviderAdapter
{
    public const string DefaultBaseUrl = "https://api.anthropic.com";
    public const string ApiVersion = "2023-06-01";

    private static readonly Func<Deployment, WireFormat, Uri> s_buildUri = static (deployment, format) => new Uri(ApiRoot(deployment.Options.BaseUrl) + format switch
    {
        WireFormat.AnthropicMessages => "v1/messages",
        WireFormat.AnthropicCountTokens => "v1/messages/count_tokens",
        _ => throw new NotSupportedException($"The anthropic provider does not serve {format}."),
    });

    public string Provider => "anthropic";

    public bool SpeaksAnthropic => true;

    public ValueTask<UpstreamResponse> SendAsync(Deployment deployment, UpstreamRequest request, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, deployment.UpstreamUri(request.Format, s_buildUri));
        if (!string.IsNullOrEmpty(deployment.Options.ApiKey))
        {
            message.Headers.TryAddWithoutValidation("x-api-key", deployment.Options.ApiKey);
        }

        if (!deployment.Options.Headers.ContainsKey("anthropic-version") && request.ClientHeaders?.ContainsKey("anthropic-version") != true)
        {
            message.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        }

        UpstreamMessages.Complete(message, deployment, request);
        return http.SendAsync(message, deployment.Options.ConnectTimeout, cancellationToken);
    }

    /// <summary>The root with a trailing slash; a pasted <c>/v1</c> suffix is dropped since paths carry it.</summary>
    public static string ApiRoot(string? baseUrl)
    {
        var root = (string.IsNullOrWhiteSpace(baseUrl) ? DefaultBaseUrl : baseUrl.Trim()).TrimEnd('/');
        if (root.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            root = root[..^3];
        }

        return root + "/";
    }
}
