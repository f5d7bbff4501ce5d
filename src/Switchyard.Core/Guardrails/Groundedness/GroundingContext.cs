using System.Text.Json;
using Switchyard.Configuration;

namespace Switchyard.Guardrails.Groundedness;

/// <summary>
/// The documents an answer should be grounded in: the request's <c>context</c> extension, tool results, and
/// the documents between <c>context_start</c> and <c>context_end</c> in system and user turns.
/// </summary>
internal static class GroundingContext
{
    public const string DefaultStart = "<context>";
    public const string DefaultEnd = "</context>";

    public static List<string> Of(GuardRun run, GuardOptions options)
    {
        var contexts = new List<string>();
        if (run.Call?.Context is { } extension)
        {
            contexts.AddRange(extension);
        }
        else if (run.Request.ValueKind == JsonValueKind.Object && run.Request.TryGetProperty("context", out var given))
        {
            // The check API's request still carries the extension (no ingress took it out).
            if (given.ValueKind == JsonValueKind.String)
            {
                contexts.Add(given.GetString()!);
            }
            else if (given.ValueKind == JsonValueKind.Array)
            {
                contexts.AddRange(given.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!));
            }
        }

        var start = options.ContextStart ?? DefaultStart;
        var end = options.ContextEnd ?? DefaultEnd;
        foreach (var text in run.TextsOfRequest())
        {
            if (text.Content == GuardContent.Data)
            {
                contexts.Add(text.Text);
                continue;
            }

            if (text.Content is not (GuardContent.Instruction or GuardContent.User))
            {
                continue;
            }

            var at = 0;
            while ((at = text.Text.IndexOf(start, at, StringComparison.Ordinal)) >= 0)
            {
                var from = at + start.Length;
                var to = text.Text.IndexOf(end, from, StringComparison.Ordinal);
                contexts.Add(to < 0 ? text.Text[from..] : text.Text[from..to]);
                if (to < 0)
                {
                    break;
                }

                at = to + end.Length;
            }
        }

        return contexts;
    }
}
