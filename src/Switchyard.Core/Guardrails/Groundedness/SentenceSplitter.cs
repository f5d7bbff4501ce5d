namespace Switchyard.Guardrails.Groundedness;

/// <summary>
/// Splits prose into sentences by position. A sentence ends at '.', '!' or '?' followed by a space and
/// not inside a number ("3.5"), an abbreviation ("e.g.", "Dr.", "U.S.") or an initial ("J. Smith"),
/// and at every line break, since answers put list items and headings on lines of their own.
/// </summary>
internal static class SentenceSplitter
{
    // Lower-cased, without the final period. "etc" is left out on purpose: it ends sentences as often as not.
    private static readonly HashSet<string> s_abbreviations = new(StringComparer.Ordinal)
    {
        "e.g", "i.e", "cf", "vs", "viz", "al", "approx", "ca", "dr", "mr", "mrs", "ms", "prof", "sr", "jr",
        "st", "mt", "ft", "no", "nos", "fig", "figs", "vol", "p", "pp", "ch", "sec", "dept", "inc", "ltd",
        "co", "corp", "est", "gen", "gov", "col", "lt", "sgt", "capt", "rev", "hon", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "u.s", "u.k", "e.u",
        "ph.d", "op", "ed", "eds", "min", "max", "avg",
    };

    /// <summary>Sentence spans of <paramref name="text"/>, trimmed of surrounding white space; at most <paramref name="max"/>.</summary>
    public static List<TextSpan> Split(string text, int max)
    {
        var sentences = new List<TextSpan>();
        var start = 0;
        var i = 0;
        while (i < text.Length && sentences.Count < max)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                Add(text, start, i, sentences);
                start = i + 1;
                i++;
                continue;
            }
            if (c is '.' or '!' or '?' or '…')
            {
                var end = i + 1;
                while (end < text.Length && text[end] is '.' or '!' or '?' or '"' or '\'' or ')' or ']' or '”' or '’')
                {
                    end++;
                }
                if ((end == text.Length || char.IsWhiteSpace(text[end])) && !(c == '.' && end == i + 1 && IsAbbreviation(text, start, i)))
                {
                    Add(text, start, end, sentences);
                    start = end;
                }
                i = end;
                continue;
            }
            i++;
        }
        if (sentences.Count < max)
        {
            Add(text, start, text.Length, sentences);
        }
        return sentences;
    }

    private static bool IsAbbreviation(string text, int sentenceStart, int period)
    {
        var wordStart = period;
        // "1. First step": a list item's number, not the end of a sentence.
        while (wordStart > sentenceStart && char.IsDigit(text[wordStart - 1]))
        {
            wordStart--;
        }
        if (wordStart < period && text.AsSpan(sentenceStart, wordStart - sentenceStart).Trim().IsEmpty)
        {
            return true;
        }
        wordStart = period;
        while (wordStart > sentenceStart && (char.IsLetter(text[wordStart - 1]) || text[wordStart - 1] == '.'))
        {
            wordStart--;
        }
        if (wordStart == period)
        {
            return false;
        }
        var word = text[wordStart..period];
        // "J. Smith": a single capital is an initial.
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return true;
        }
        return s_abbreviations.Contains(word.ToLowerInvariant());
    }

    private static void Add(string text, int start, int end, List<TextSpan> sentences)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }
        if (end > start)
        {
            sentences.Add(new(start, end - start));
        }
    }
}
