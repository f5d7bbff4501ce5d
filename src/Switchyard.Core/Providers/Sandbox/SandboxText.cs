using Switchyard.Accounting;

namespace Switchyard.Providers.Sandbox;

/// <summary>Shaping of generated output: stop sequences, the token limit, and the pieces a stream sends.</summary>
internal static class SandboxText
{
    /// <summary>Cuts <paramref name="text"/> before the first stop sequence; true if one was found.</summary>
    public static bool ApplyStop(ref string text, IReadOnlyList<string> stops)
    {
        int cut = -1;
        foreach (string stop in stops)
        {
            if (stop.Length == 0)
            {
                continue;
            }

            int index = text.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (cut < 0 || index < cut))
            {
                cut = index;
            }
        }

        if (cut < 0)
        {
            return false;
        }

        text = text[..cut];
        return true;
    }

    /// <summary>Cuts <paramref name="text"/> to its first <paramref name="maxTokens"/> tokens; true if it was longer.</summary>
    public static bool ApplyMaxTokens(ref string text, int? maxTokens, string? model)
    {
        if (maxTokens is not { } max || text.Length == 0)
        {
            return false;
        }

        int index = TokenCounter.ForModel(model).GetIndexByTokenCount(text, max, out _, out _);
        if (index >= text.Length)
        {
            return false;
        }

        text = text[..index];
        return true;
    }

    /// <summary>Word-by-word pieces (each with its leading whitespace), as a model streams prose.</summary>
    public static List<string> Words(string text)
    {
        List<string> pieces = [];
        int start = 0;
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            pieces.Add(text[start..i]);
            start = i;
        }

        return pieces;
    }

    /// <summary>Fixed-size fragments, as a model streams JSON and tool arguments; never splits a surrogate pair.</summary>
    public static List<string> Fragments(string text, int size)
    {
        List<string> pieces = [];
        int start = 0;
        while (start < text.Length)
        {
            int end = Math.Min(start + size, text.Length);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end++;
            }

            pieces.Add(text[start..end]);
            start = end;
        }

        return pieces;
    }
}
