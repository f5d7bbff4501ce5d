using System.Text;
using System.Text.Json;

namespace Switchyard.Embeddings;

/// <summary>
/// A call's last user turn as text and, once some stage has embedded it, its vector. It lives on the call
/// (<see cref="Gateway.CallContext.Turn"/>) so the model runs at most once per call, whichever stage needs
/// the meaning first: the semantic cache today; the injection classifier, the topic guard, the semantic
/// router and drift reuse it as they come.
/// </summary>
internal sealed class TurnEmbedding(string text)
{
    private readonly Lock _lock = new();
    private Task<float[]>? _background;
    private TaskCompletionSource<float[]>? _embedded;
    private float[]? _vector;

    public string Text { get; } = text;

    /// <summary>Null until embedded; set once, by the stage that embedded it.</summary>
    public float[]? Vector
    {
        get => Volatile.Read(ref _vector);
        set
        {
            TaskCompletionSource<float[]>? waiting;
            lock (_lock)
            {
                _vector = value;
                waiting = _embedded;
            }

            if (value is not null)
            {
                waiting?.TrySetResult(value);
            }
        }
    }

    /// <summary>
    /// Completes when some stage embeds the turn (the semantic lookup, the indexer): for work that wants
    /// the vector but should not cost a run of the model of its own when one is coming anyway.
    /// </summary>
    public Task<float[]> Embedded
    {
        get
        {
            lock (_lock)
            {
                if (_vector is { } known)
                {
                    return Task.FromResult(known);
                }

                _embedded ??= new TaskCompletionSource<float[]>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _embedded.Task;
            }
        }
    }

    /// <summary>
    /// The vector, embedded in the background when no stage has it yet: every stage that wants it after the
    /// answer (the semantic indexer, a flag-only injection classifier) shares one run of the model.
    /// </summary>
    public Task<float[]> VectorInBackgroundAsync(EmbeddingBatcher embeddings, CancellationToken cancellationToken)
    {
        if (Vector is { } known)
        {
            return Task.FromResult(known);
        }

        lock (_lock)
        {
            return _background ??= EmbedAsync(embeddings, cancellationToken);
        }
    }

    private async Task<float[]> EmbedAsync(EmbeddingBatcher embeddings, CancellationToken cancellationToken) =>
        Vector = await embeddings.EmbedInBackgroundAsync(Text, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The last turn of a chat request when it is the user's and all text, or null with why not: no
    /// messages, the last is not the user's, or it holds more than text (an image, an audio clip) or nothing.
    /// </summary>
    public static TurnEmbedding? Of(JsonElement root, out string? skipped)
    {
        skipped = null;
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            skipped = "no_messages";
            return null;
        }

        var last = messages[messages.GetArrayLength() - 1];
        if (last.ValueKind != JsonValueKind.Object || !last.TryGetProperty("role", out var role) || !role.ValueEquals("user"u8))
        {
            skipped = "not_user_turn";
            return null;
        }

        if (TextOf(last) is not { Length: > 0 } text || string.IsNullOrWhiteSpace(text))
        {
            skipped = "not_text";
            return null;
        }

        return new TurnEmbedding(text);
    }

    /// <summary>A string content, or the text parts of an array content joined; null when any part is not text.</summary>
    private static string? TextOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return null;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || !type.ValueEquals("text"u8)
                || !part.TryGetProperty("text", out var value) || value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(value.GetString());
        }

        return text.ToString();
    }
}
