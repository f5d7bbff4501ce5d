using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Gateway;

namespace Switchyard.Guardrails;

/// <summary>
/// Guards outside the request path: <c>POST /api/guardrails/check</c>, <c>switchyard guard check</c> and
/// <c>guard eval</c>. A text or chat messages in, each guard's verdict and the rewritten text out; guards
/// wait for the model here, so the verdict is whole.
/// </summary>
internal sealed class GuardrailChecker(GuardrailCatalog catalog)
{
    /// <summary>The guards named, or the configured list of the direction; null with the problem when a name is unknown or the list empty.</summary>
    public Guard[]? Resolve(IReadOnlyList<string>? names, GuardDirection direction, out string? problem)
    {
        problem = null;
        if (names is { Count: > 0 })
        {
            var guards = new List<Guard>();
            foreach (var name in names)
            {
                if (!catalog.TryGet(name, out var guard))
                {
                    problem = $"guards: '{name}' is not a guard (configured: {string.Join(", ", catalog.Guards.Select(g => g.Name).DefaultIfEmpty("none"))}).";
                    return null;
                }

                guards.Add(guard);
            }

            return [.. guards];
        }

        var defaults = catalog.Defaults(direction);
        if (defaults.Length == 0)
        {
            problem = $"guards: none named, and no {(direction == GuardDirection.Input ? "input" : "output")} guards are configured (guardrails.{(direction == GuardDirection.Input ? "input" : "output")}).";
            return null;
        }

        return defaults;
    }

    /// <summary>
    /// Checks one text as <paramref name="content"/>; <paramref name="request"/> is the chat request an answer
    /// answers (its system prompt, context, response format and tools), for the guards that read it.
    /// </summary>
    public Task<GuardCheckResult> CheckTextAsync(string text, GuardContent content, Guard[] guards, CancellationToken cancellationToken, JsonElement request = default) =>
        RunAsync([new GuardText(text, content, ["text"], IsNew: true)], content == GuardContent.Answer ? GuardDirection.Output : GuardDirection.Input, guards, request, cancellationToken);

    /// <summary>Checks chat messages (the <c>messages</c> of a chat completions body) on the way in.</summary>
    public Task<GuardCheckResult> CheckMessagesAsync(JsonElement body, Guard[] guards, CancellationToken cancellationToken) =>
        RunAsync(RequestTexts.Of(ClientApi.ChatCompletions, body), GuardDirection.Input, guards, body, cancellationToken);

    private async Task<GuardCheckResult> RunAsync(List<GuardText> texts, GuardDirection direction, Guard[] guards, JsonElement request, CancellationToken cancellationToken)
    {
        var report = new GuardrailReport();
        var run = new GuardRun(texts, direction, report, call: null, request) { WaitForModel = true };
        var turn = texts.FindLastIndex(t => t.Content == GuardContent.User && t.IsNew);
        if (turn >= 0)
        {
            run.Turn = new TurnEmbedding(texts[turn].Text);
            run.TurnIndex = turn;
        }

        var blocked = await catalog.RunAsync(guards, run, cancellationToken).ConfigureAwait(false);
        catalog.Count(report);
        return new GuardCheckResult(blocked, report.Verdicts, run.Texts, run.Changed);
    }
}
