using System.Text.Json;
using Switchyard.Gateway;

namespace Switchyard.Guardrails;

/// <summary>
/// One pass of a list of guards over a call's texts in one direction. A guard that rewrites a text puts the
/// new one in <see cref="Texts"/>, so the guards after it see what will be sent.
/// </summary>
internal sealed class GuardRun(List<GuardText> texts, GuardDirection direction, GuardrailReport report, CallContext? call, JsonElement request)
{
    public List<GuardText> Texts { get; } = texts;

    public GuardDirection Direction { get; } = direction;

    public GuardrailReport Report { get; } = report;

    /// <summary>The call being guarded; null for <c>POST /api/guardrails/check</c>.</summary>
    public CallContext? Call { get; } = call;

    /// <summary>The request body's root (parameters for validation); undefined outside a call.</summary>
    public JsonElement Request { get; } = request;

    /// <summary>On the way out, the whole answer's root when there is one (tool calls); undefined for a stream's text.</summary>
    public JsonElement Answer { get; init; }

    /// <summary>The request's own texts, when the caller already read them (a stream's windows share one reading).</summary>
    public IReadOnlyList<GuardText>? RequestContent { get; init; }

    /// <summary>The indexes of the texts a guard rewrote.</summary>
    public SortedSet<int> Changed { get; } = [];

    /// <summary>The last user turn's shared embedding holder, when the call has one (chat completions).</summary>
    public Embeddings.TurnEmbedding? Turn { get; set; }

    /// <summary>The index in <see cref="Texts"/> of the text <see cref="Turn"/> holds; -1 when none.</summary>
    public int TurnIndex { get; set; } = -1;

    /// <summary>
    /// True outside the request path (the check API, the CLI): guards wait for the model whatever their
    /// action, and embed every text they score, since the caller asked for the whole verdict now.
    /// </summary>
    public bool WaitForModel { get; init; }

    /// <summary>The request's texts (system prompt, context) for guards on the way out; read once per call when the caller passed them.</summary>
    public IReadOnlyList<GuardText> TextsOfRequest() =>
        RequestContent ?? (Request.ValueKind == JsonValueKind.Object ? RequestTexts.Of(Call?.Api ?? ClientApi.ChatCompletions, Request) : []);

    /// <summary>
    /// Whether a guard that judges content (toxicity, a judge, a moderation endpoint) reads this text: the
    /// answer on the way out; on the way in, the user's new words and the data that came with them.
    /// </summary>
    public bool IsNewContent(GuardText text) =>
        Direction == GuardDirection.Output ? text.Content == GuardContent.Answer : text.IsNew && text.Content is GuardContent.User or GuardContent.Data;

    public void Replace(int index, string text)
    {
        Texts[index] = Texts[index] with { Text = text };
        Changed.Add(index);
    }
}
