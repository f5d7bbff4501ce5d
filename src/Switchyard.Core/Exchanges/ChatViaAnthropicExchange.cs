using System.Buffers;
using System.Text;
using Switchyard.Accounting;
using Switchyard.Buffers;
using Switchyard.Gateway;
using Switchyard.Providers;
using Switchyard.Providers.Anthropic;
using Switchyard.Routing;
using Switchyard.Streaming;

namespace Switchyard.Exchanges;

/// <summary>An OpenAI chat client served by an Anthropic deployment: both directions translated.</summary>
internal sealed class ChatViaAnthropicExchange : IExchange
{
    public WireFormat UpstreamFormat => WireFormat.AnthropicMessages;

    public string? BuildRequest(CallContext call, Deployment deployment, PooledBufferWriter output)
    {
        var translation = OpenAIChatToAnthropicRequest.Translate(call.Body.Span, call.ModelFor(deployment), deployment.Options.DefaultMaxTokens);
        if (!translation.IsSuccess)
        {
            return translation.Error;
        }

        output.Write(translation.Body);
        return null;
    }

    public ResponseSummary WriteResponse(CallContext call, ReadOnlySpan<byte> upstreamBody, PooledBufferWriter output)
    {
        var created = call.StartTime.ToUnixTimeSeconds();
        var translation = AnthropicToOpenAIChatResponse.Translate(upstreamBody, call.Request.Model!, created);
        if (!translation.IsSuccess)
        {
            // The upstream said 200 but sent something else: the client still gets an answer it can parse.
            GatewayErrors.Write(output, call.Api, 502, "upstream_error", $"The upstream answer could not be translated: {translation.Error}");
            call.Fail(502, "upstream_error", translation.Error!);
            return default;
        }

        output.Write(translation.Body);
        var summary = ResponseSummaryReader.Read(upstreamBody, anthropic: true);
        summary.Usage = translation.Usage;
        summary.FinishReason = translation.FinishReason;
        return summary;
    }

    public IStreamTransformer CreateStreamTransformer(CallContext call) =>
        new Adapter(new AnthropicToOpenAIChatStream(call.Request.Model!, "chatcmpl-" + call.Trace.SpanIdHex, call.StartTime.ToUnixTimeSeconds(), call.Request.IncludeUsage == true));

    public void WriteError(CallContext call, int status, ReadOnlySpan<byte> upstreamBody, PooledBufferWriter output) =>
        output.Write(AnthropicErrorTranslator.ToOpenAI(status, upstreamBody));

    private sealed class Adapter(AnthropicToOpenAIChatStream inner) : IStreamTransformer
    {
        public bool SawContent => inner.SawContent;

        public bool Completed => inner.Completed;

        public TokenUsage Usage => inner.Usage;

        public bool UsageReported => inner.Usage.TotalTokens > 0;

        public string? FinishReason => inner.FinishReason;

        public void OnEvent(in SseEvent sseEvent, IBufferWriter<byte> output) =>
            inner.OnEvent(sseEvent.Name.IsEmpty ? null : Encoding.UTF8.GetString(sseEvent.Name), sseEvent.Data, output);

        public void OnEnd(IBufferWriter<byte> output)
        {
        }

        public void OnError(string message, IBufferWriter<byte> output) => StreamErrors.WriteOpenAI(output, message);
    }
}
