namespace Switchyard.Samples.ChatApi;

/// <summary>The answer and the gateway's trace id, which the page sends back with 👍/👎.</summary>
internal sealed record ChatReply(string Answer, string? TraceId);
