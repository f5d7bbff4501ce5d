namespace Switchyard.Guardrails.Pii;

/// <summary>Small character tests and context look-ups the hand-written scanners share.</summary>
internal static class TextScan
{
    public static bool IsAsciiDigit(char c) => (uint)(c - '0') <= 9;

    public static bool IsAsciiLetterOrDigit(char c) => char.IsAsciiLetterOrDigit(c);

    /// <summary>True when the character at <paramref name="index"/> exists and is a letter or digit of any script.</summary>
    public static bool IsWordCharAt(string text, int index) =>
        (uint)index < (uint)text.Length && char.IsLetterOrDigit(text[index]);

    public static bool IsDigitAt(string text, int index) =>
        (uint)index < (uint)text.Length && IsAsciiDigit(text[index]);

    public static bool IsCharAt(string text, int index, char c) =>
        (uint)index < (uint)text.Length && text[index] == c;

    /// <summary>
    /// True when one of <paramref name="words"/> occurs, case-insensitively, in the <paramref name="window"/>
    /// characters before <paramref name="start"/>. Context is looked for in a fixed window so a long text
    /// costs no more per candidate than a short one.
    /// </summary>
    public static bool HasContextBefore(string text, int start, int window, ReadOnlySpan<string> words)
    {
        int from = Math.Max(0, start - window);
        ReadOnlySpan<char> span = text.AsSpan(from, start - from);
        foreach (string word in words)
        {
            if (span.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>As <see cref="HasContextBefore"/>, for the <paramref name="window"/> characters from <paramref name="end"/>.</summary>
    public static bool HasContextAfter(string text, int end, int window, ReadOnlySpan<string> words)
    {
        int to = Math.Min(text.Length, end + window);
        ReadOnlySpan<char> span = text.AsSpan(end, to - end);
        foreach (string word in words)
        {
            if (span.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
