using Switchyard.Routing;

namespace Switchyard.Providers;

/// <summary>
/// Sends one request to one deployment of a provider and returns the upstream's answer as soon as its
/// headers arrive. Adapters do not translate between wire formats: the caller hands them a body in
/// <see cref="NativeFormat"/> (or one of the OpenAI formats for OpenAI-compatible providers).
/// </summary>
/// <remarks>
/// Connection failures surface as <see cref="HttpRequestException"/>; the caller's token cancels the
/// call. Implementations are thread-safe singletons.
/// </remarks>
internal interface IProviderAdapter
{
    /// <summary>The provider name used in configuration: openai, azure, anthropic, sandbox.</summary>
    string Provider { get; }

    /// <summary>Whether this provider speaks Anthropic Messages natively (else the OpenAI formats).</summary>
    bool SpeaksAnthropic { get; }

    ValueTask<UpstreamResponse> SendAsync(Deployment deployment, UpstreamRequest request, CancellationToken cancellationToken);
}
