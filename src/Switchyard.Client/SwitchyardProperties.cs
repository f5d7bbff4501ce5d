namespace Switchyard.Client;

/// <summary>
/// Keys under which the client puts what the gateway said about a call into
/// <c>ChatResponse.AdditionalProperties</c>, <c>ChatResponseUpdate.AdditionalProperties</c> and
/// <c>GeneratedEmbeddings.AdditionalProperties</c>, and under which it reads per-call options.
/// </summary>
public static class SwitchyardProperties
{
    /// <summary>The gateway's trace id for the call (32 hexadecimal characters, <c>x-switchyard-trace-id</c>).</summary>
    public const string TraceId = "switchyard.trace_id";

    /// <summary>The gateway call's span id (16 hexadecimal characters, <c>x-switchyard-span-id</c>).</summary>
    public const string SpanId = "switchyard.span_id";

    /// <summary>The gateway cache's verdict when it gave one (<c>hit</c>, <c>miss</c>, <c>bypass</c>, <c>x-switchyard-cache</c>).</summary>
    public const string Cache = "switchyard.cache";

    /// <summary>The <see cref="SwitchyardRequestOptions"/> of one call, in <c>ChatOptions.AdditionalProperties</c>.</summary>
    public const string Options = "switchyard.options";
}
