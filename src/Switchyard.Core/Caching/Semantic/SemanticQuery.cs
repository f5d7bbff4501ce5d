using System.Text;
using System.Text.Json;

namespace Switchyard.Caching.Semantic;

/// <summary>
/// What the semantic cache compares for one chat request: the text of its last user turn, and the scope
/// everything else must match exactly (namespace, model group, system prompt, earlier turns, tools and
/// every parameter). The vector is filled in once embedded, so a miss that stores reuses it.
/// </summary>
internal sealed class SemanticQuery(CacheKey scope, string text)
{
    public CacheKey Scope { get; } = scope;

    public string Text { get; } = text;

    public float[]? Vector { get; set; }

    /// <summary>
    /// The query of a chat completions request, or null with why not: the last message is not the user's,
    /// holds more than text (an image, an audio clip), is empty, or is longer than the embedding model reads.
    /// </summary>
    public static SemanticQuery? Of(JsonElement root, string space, string modelGroup, string api, ITextEmbedder embedder, out string? skipped)
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

        // English averages about four characters a word piece; a text ten times longer than the window
        // could hold is refused without tokenizing it (a huge body must not cost a huge tokenization).
        if (text.Length > embedder.WindowTokens * 40 || embedder.CountTokens(text) > embedder.WindowTokens)
        {
            skipped = "beyond_window";
            return null;
        }

        return CacheKey.Scope(space, modelGroup, api, root) is { } scope ? new SemanticQuery(scope, text) : null;
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
