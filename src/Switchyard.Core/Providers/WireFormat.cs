namespace Switchyard.Providers;

/// <summary>The HTTP API a body is written in, on either side of the gateway.</summary>
internal enum WireFormat
{
    /// <summary>OpenAI <c>POST /v1/chat/completions</c>.</summary>
    OpenAIChat,

    /// <summary>OpenAI <c>POST /v1/responses</c>.</summary>
    OpenAIResponses,

    /// <summary>OpenAI <c>POST /v1/embeddings</c>.</summary>
    OpenAIEmbeddings,

    /// <summary>Anthropic <c>POST /v1/messages</c>.</summary>
    AnthropicMessages,

    /// <summary>Anthropic <c>POST /v1/messages/count_tokens</c>.</summary>
    AnthropicCountTokens,
}
