using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.Buffers;
using Switchyard.Gateway;
using Switchyard.Ingress;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Streaming;

namespace Switchyard.Exchanges;

/// <summary>Client and upstream speak the same API: bytes go through with only the model swapped.</summary>
internal sealed class PassthroughExchange(WireFormat format) : IExchange
{
    public WireFormat UpstreamFormat => format;

    private bool Anthropic => format is WireFormat.AnthropicMessages or WireFormat.AnthropicCountTokens;

    public string? BuildRequest(CallContext call, Deployment deployment, PooledBufferWriter output)
    {
        var forceUsage = format == WireFormat.OpenAIChat && deployment.Options.StreamUsage;
        BodyRewriter.Rewrite(call.Body.Span, call.Request, call.ModelJsonFor(deployment), forceUsage, output);
        return null;
    }

    public ResponseSummary WriteResponse(CallContext call, ReadOnlySpan<byte> upstreamBody, PooledBufferWriter output)
    {
        output.Write(upstreamBody);
        return ResponseSummaryReader.Read(upstreamBody, Anthropic);
    }

    public IStreamTransformer CreateStreamTransformer(CallContext call) => new PassthroughTap(
        format switch
        {
            WireFormat.OpenAIResponses => PassthroughTap.Format.OpenAIResponses,
            WireFormat.AnthropicMessages => PassthroughTap.Format.Anthropic,
            _ => PassthroughTap.Format.OpenAIChat,
        },
        clientWantsUsage: call.Request.IncludeUsage == true);

    public void WriteError(CallContext call, int status, ReadOnlySpan<byte> upstreamBody, PooledBufferWriter output)
    {
        // An upstream that already answers in this API's error shape is relayed as is.
        if (LooksLikeError(upstreamBody))
        {
            output.Write(upstreamBody);
            return;
        }

        GatewayErrors.Write(output, call.Api, status, GatewayErrors.OpenAIType(status), UpstreamErrorText.Describe(status, upstreamBody));
    }

    private static bool LooksLikeError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.CurrentDepth == 1)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.StartObject;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
