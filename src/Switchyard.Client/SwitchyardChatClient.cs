using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Switchyard.Client;

/// <summary>
/// The OpenAI SDK's chat client as an <see cref="IChatClient"/>, with the call's Switchyard options handed to
/// the header policy and the gateway's trace ids put on the response and on every streamed update.
/// </summary>
internal sealed class SwitchyardChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (scope, previous) = SwitchyardCallScope.Begin(options.GetSwitchyard());
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            scope.CopyTo(response.AdditionalProperties ??= []);
            return response;
        }
        finally
        {
            SwitchyardCallScope.Restore(previous);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The request goes out on the first MoveNext below, inside this scope; by the first update the policy
        // has read the response headers, so every update carries the ids.
        var (scope, previous) = SwitchyardCallScope.Begin(options.GetSwitchyard());
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                scope.CopyTo(update.AdditionalProperties ??= []);
                yield return update;
            }
        }
        finally
        {
            SwitchyardCallScope.Restore(previous);
        }
    }
}
