using Switchyard.Gateway;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Exchanges;

/// <summary>Picks the exchange for a client API and a deployment, or says why the pair cannot work.</summary>
internal static class ExchangeCatalog
{
    private static readonly PassthroughExchange s_chat = new(WireFormat.OpenAIChat);
    private static readonly PassthroughExchange s_responses = new(WireFormat.OpenAIResponses);
    private static readonly PassthroughExchange s_embeddings = new(WireFormat.OpenAIEmbeddings);
    private static readonly PassthroughExchange s_messages = new(WireFormat.AnthropicMessages);
    private static readonly PassthroughExchange s_countTokens = new(WireFormat.AnthropicCountTokens);
    private static readonly ChatViaAnthropicExchange s_chatViaAnthropic = new();
    private static readonly MessagesViaChatExchange s_messagesViaChat = new();

    /// <summary>Null when the deployment cannot serve the API, or (count_tokens) when it is answered locally.</summary>
    public static IExchange? For(ClientApi api, Deployment deployment)
    {
        var anthropic = deployment.Adapter.SpeaksAnthropic;
        return (api, anthropic) switch
        {
            (ClientApi.ChatCompletions, false) => s_chat,
            (ClientApi.ChatCompletions, true) => s_chatViaAnthropic,
            (ClientApi.Responses, false) => s_responses,
            (ClientApi.Embeddings, false) => s_embeddings,
            (ClientApi.Messages, true) => s_messages,
            (ClientApi.Messages, false) => s_messagesViaChat,
            (ClientApi.CountTokens, true) => s_countTokens,
            _ => null,
        };
    }
}
