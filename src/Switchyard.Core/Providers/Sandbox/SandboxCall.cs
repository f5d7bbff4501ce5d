using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Routing;

namespace Switchyard.Providers.Sandbox;

/// <summary>One parsed call to the sandbox, and how to answer it as an HTTP server would.</summary>
internal sealed class SandboxCall
{
    public SandboxCall(Deployment deployment, ReadOnlyMemory<byte> body, JsonElement root, TimeProvider timeProvider, bool cutStream, CancellationToken cancellationToken)
    {
        Deployment = deployment;
        Body = body;
        Root = root;
        TimeProvider = timeProvider;
        CutStream = cutStream;
        CancellationToken = cancellationToken;
    }

    public Deployment Deployment { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public JsonElement Root { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Whether the fault draw chose to cut this call's stream.</summary>
    public bool CutStream { get; }

    public CancellationToken CancellationToken { get; }

    public SandboxOptions Options => Deployment.Options.Sandbox;

    /// <summary>Unix seconds for <c>created</c> fields.</summary>
    public long Now => TimeProvider.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The request's model, echoed in answers; the deployment's model when the body names none.</summary>
    public string Model => SandboxJson.OptionalString(Root, "model", "model") ?? Deployment.Model;

    /// <summary>The answer's generator: same body and same deployment seed give the same answer.</summary>
    public SandboxRandom Random() => SandboxRandom.FromBody(Body.Span, Options.Seed);

    /// <summary>A complete JSON answer, after the time a model would take to generate <paramref name="pieces"/> pieces.</summary>
    public async ValueTask<UpstreamResponse> JsonAsync(byte[] body, int pieces)
    {
        TimeSpan generation = Options.TimeToFirstToken + (Options.InterTokenDelay * Math.Max(0, pieces - 1));
        if (generation > TimeSpan.Zero)
        {
            await Task.Delay(generation, TimeProvider, CancellationToken).ConfigureAwait(false);
        }

        return new UpstreamResponse(200, "application/json", new MemoryStream(body, writable: false)) { RequestId = SandboxIds.RequestId() };
    }

    /// <summary>A stream of <paramref name="events"/>, produced as the reader goes.</summary>
    public UpstreamResponse EventStream(IReadOnlyList<SandboxEvent> events)
    {
        SandboxEventStream stream = SandboxEventStream.Start(events, CutStream ? Math.Max(0, Options.CutAfterChunks) : -1, TimeProvider, CancellationToken);
        return new UpstreamResponse(200, "text/event-stream; charset=utf-8", stream.Body, stream) { RequestId = SandboxIds.RequestId() };
    }
}
