using Switchyard.Routing;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// OpenAI and every server that speaks its API (vLLM, Ollama, llama.cpp, TGI, LM Studio, OpenRouter...):
/// the body goes upstream as the client sent it, with the deployment's model.
/// </summary>
internal sealed class OpenAIAdapter(UpstreamHttp http) : IProviderAdapter
{
    public const string DefaultBaseUrl = "https://api.openai.com/v1";

    private static readonly Func<Deployment, WireFormat, Uri> s_buildUri = static (deployment, format) => new Uri(ApiBase(deployment.Options.BaseUrl) + format switch
    {
        WireFormat.OpenAIChat => "chat/completions",
        WireFormat.OpenAIResponses => "responses",
        WireFormat.OpenAIEmbeddings => "embeddings",
        _ => throw new NotSupportedException($"The openai provider does not serve {format}."),
    });

    public string Provider => "openai";

    public bool SpeaksAnthropic => false;

    public ValueTask<UpstreamResponse> SendAsync(Deployment deployment, UpstreamRequest request, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, deployment.UpstreamUri(request.Format, s_buildUri));
        if (deployment.BearerAuthorization is { } authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        UpstreamMessages.Complete(message, deployment, request);
        return http.SendAsync(message, deployment.Options.ConnectTimeout, cancellationToken);
    }

    /// <summary>
    /// The API root with a trailing slash. A bare host gets <c>/v1</c> (users paste either form);
    /// any other path is taken as given, since some servers mount the API elsewhere.
    /// </summary>
    public static string ApiBase(string? baseUrl)
    {
        var root = string.IsNullOrWhiteSpace(baseUrl) ? DefaultBaseUrl : baseUrl.Trim();
        var uri = new Uri(root);
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.Length == 0)
        {
            root = root.TrimEnd('/') + "/v1";
        }

        return root.TrimEnd('/') + "/";
    }
}
