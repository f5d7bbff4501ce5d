using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Routing;

namespace Switchyard.Providers.Sandbox;

/// <summary>
/// The built-in <c>sandbox</c> provider: a deterministic simulated model answering in-process exactly as an
/// OpenAI-compatible server would, so Switchyard runs with no keys and no network. Answers are labelled
/// simulated (<c>fp_sandbox_simulated</c>, <c>sbx</c> ids). Faults are drawn per call from the deployment's
/// <see cref="SandboxOptions"/> rates, independently of the body, so load and chaos tests see the right mix.
/// </summary>
internal sealed class SandboxAdapter : IProviderAdapter
{
    private readonly TimeProvider _timeProvider;
    private readonly Hosting.RandomSource _random;

    public SandboxAdapter(TimeProvider timeProvider, Hosting.RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(random);
        _timeProvider = timeProvider;
        _random = random;
    }

    public string Provider => "sandbox";

    public bool SpeaksAnthropic => false;

    public async ValueTask<UpstreamResponse> SendAsync(Deployment deployment, UpstreamRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        if (request.Format is not (WireFormat.OpenAIChat or WireFormat.OpenAIResponses or WireFormat.OpenAIEmbeddings))
        {
            return SandboxErrors.InvalidRequest($"sandbox: the {request.Format} format is not served; the gateway translates it to an OpenAI format first.");
        }

        SandboxOptions options = deployment.Options.Sandbox;
        if (Draw(options.HangRate))
        {
            // A hung upstream: nothing until the caller gives up, which surfaces as OperationCanceledException.
            await Task.Delay(Timeout.InfiniteTimeSpan, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        if (Draw(options.ErrorRate))
        {
            return SandboxErrors.ServerError();
        }

        if (Draw(options.RateLimitRate))
        {
            return SandboxErrors.RateLimited(options.RetryAfter);
        }

        bool cutStream = Draw(options.CutStreamRate);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return SandboxErrors.InvalidRequest($"We could not parse the JSON body of your request. ({e.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return SandboxErrors.InvalidRequest("Invalid request body: expected a JSON object.");
            }

            SandboxCall call = new(deployment, request.Body, document.RootElement, _timeProvider, cutStream, cancellationToken);
            try
            {
                return request.Format switch
                {
                    WireFormat.OpenAIChat => await SandboxChat.HandleAsync(call).ConfigureAwait(false),
                    WireFormat.OpenAIResponses => await SandboxResponses.HandleAsync(call).ConfigureAwait(false),
                    _ => SandboxEmbeddings.Handle(call),
                };
            }
            catch (SandboxRequestException e)
            {
                return SandboxErrors.InvalidRequest(e.Message, e.Param);
            }
        }
    }

    /// <summary>Whether a fault of probability <paramref name="rate"/> happens on this call; 0 never, 1 always.</summary>
    private bool Draw(double rate) => rate > 0 && (rate >= 1 || _random.NextDouble() < rate);
}
