using System.Buffers;
using Switchyard.Accounting;
using Switchyard.Buffers;
using Switchyard.Gateway;
using Switchyard.Providers;
using Switchyard.Providers.Anthropic;
using Switchyard.Routing;
using Switchyard.Streaming;

namespace Switchyard.Exchanges;

/// <summary>An Anthropic Messages client served by an OpenAI-format deployment (OpenAI, Azure, sandbox...).</summary>
internal sealed class MessagesViaChatExchange : IExchange
{
    public WireFormat UpstreamFormat => WireFormat.OpenAIChat;

    public string? BuildRequest(CallContext call, Deployment deployment, PooledBufferWriter output)
    {
        var translation = AnthropicToOpenAIChatRequest.Translate(call.Body.Span, call.ModelFor(deployment));
        if (!translation.IsSuccess)
        {
            return translation.Error;
        }

        output.Write(translation.Body);
        return null;
    }

    public ResponseSummary WriteResponse(CallContext call, ReadOnlySpan<byte> upstreamBody, PooledBufferWriter output)
    {
        var translation = OpenAIChatToAnthropicResponse.Translate(upstreamBody, call.Request.Model!);
        if (!translation.IsSuccess)
        {
            GatewayErrors.Write(output, call.Api, 502, "upstream_error", $"The upstream answer could not be translated: {translation.Error}");
            call.Fail(502, "upstream_error", translation.Error!);
            return default;
        }

        output.Write(translation.Body);
        var summary = ResponseSummaryReader.Read(upstreamBody, anthropic: false);
        summary.Usage = translation.Usage;
        summary.FinishReason = translation.FinishReason;
        return summary;
    }

    public IStreamTransformer CreateStreamTransformer(CallContext call) =>
        new Adapter(new OpenAIChatToAnthropicStream(call.Request.Model!, "msg_" + call.Trace.SpanIdHex));

    public void WriteError(CallContext call, int status, ReadOnlySpan<byte> upstreamBody, PooledBufferWriter output) =>
        output.Write(AnthropicErrorTranslator.ToAnthropic(status, upstreamBody));

    private sealed class Adapter(OpenAIChatToAnthropicStream inner) : IStreamTransformer
    {
        public bool SawContent => inner.SawContent;

        public bool Completed => inner.Completed;

        public TokenUsage Usage => inner.Usage;

        public bool UsageReported => inner.Usage.TotalTokens > 0;

        public string? FinishReason => inner.FinishReason;

        public void OnEvent(in SseEvent sseEvent, IBufferWriter<byte> output)
        {
            if (sseEvent.IsDone)
            {
                inner.Complete(output);
            }
            else if (!sseEvent.Data.IsEmpty)
            {
                inner.OnChunk(sseEvent.Data, output);
            }
        }

        public void OnEnd(IBufferWriter<byte> output)
        {
            // An upstream that ends without [DONE] (some OpenAI-compatible servers) still gets a closed message.
            if (!inner.Completed && inner.FinishReason is not null)
            {
                inner.Complete(output);
            }
        }

        public void OnError(string message, IBufferWriter<byte> output) => StreamErrors.WriteAnthropic(output, "api_error", message);
    }
}
