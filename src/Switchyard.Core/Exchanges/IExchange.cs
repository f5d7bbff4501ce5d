using Switchyard.Accounting;
using Switchyard.Buffers;
using Switchyard.Gateway;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Streaming;

namespace Switchyard.Exchanges;

/// <summary>
/// How one client API is served by one kind of upstream: how the request body is written for the
/// upstream, and how the upstream's answer, stream or error becomes the client's. Same-format pairs
/// relay bytes; the Anthropic ⇄ OpenAI pairs translate.
/// </summary>
internal interface IExchange
{
    WireFormat UpstreamFormat { get; }

    /// <summary>Writes the upstream body; returns a message for a 400 when the request cannot be expressed upstream.</summary>
    string? BuildRequest(CallContext call, Deployment deployment, PooledBufferWriter output);

    /// <summary>Turns a complete successful upstream body into the client's body.</summary>
    ResponseSummary WriteResponse(CallContext call, ReadOnlySpan<byte> upstreamBody, PooledBufferWriter output);

    IStreamTransformer CreateStreamTransformer(CallContext call);

    /// <summary>Turns an upstream error body into the client's error shape.</summary>
    void WriteError(CallContext call, int status, ReadOnlySpan<byte> upstreamBody, PooledBufferWriter output);
}
