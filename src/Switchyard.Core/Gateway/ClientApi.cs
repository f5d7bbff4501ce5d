namespace Switchyard.Gateway;

/// <summary>The gateway endpoint a request came in on; decides the error shape and the response format.</summary>
internal enum ClientApi
{
    ChatCompletions,
    Responses,
    Embeddings,
    Messages,
    CountTokens,
}
