using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchyard.Guardrails.Groundedness;

/// <summary>
/// The checkable facts of a text: numbers (normalised so "1,000", "1000.0" and "$1000" are one), dates
/// (normalised to yyyy-mm-dd from ISO, slashed and written-out forms), and words for names.
/// </summary>
internal static partial class Claims
{
    private static readonly string[] s_months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    // Capitalised at a sentence's start for grammar, not because they are names.
    private static readonly HashSet<string> s_commonWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "this", "that", "these", "those", "it", "its", "in", "on", "at", "for", "from",
        "with", "by", "as", "if", "when", "while", "however", "but", "and", "or", "so", "yes", "no", "we",
        "you", "he", "she", "they", "my", "our", "your", "their", "his", "her", "there", "here", "what",
        "which", "who", "whom", "why", "how", "where", "also", "each", "every", "some", "many", "most",
        "all", "both", "not", "only", "then", "thus", "therefore", "because", "although", "though", "after",
        "before", "during", "since", "until", "according", "based", "overall", "finally", "first", "second",
        "third", "next", "please", "note", "sure", "unfortunately", "to", "of", "one", "any", "another",
        "other", "such", "more", "less", "several", "few", "about", "again", "always", "never", "often",
        "usually", "generally", "typically", "in", "instead", "additionally", "moreover", "furthermore",
        "similarly", "meanwhile", "today", "yesterday", "tomorrow", "currently", "recently", "however",
        "certainly", "of", "let", "let's", "do", "does", "did", "is", "are", "was", "were", "can", "could",
        "should", "would", "will", "may", "might", "must", "have", "has", "had", "be", "being", "been",
        "to", "use", "using", "see", "make", "ensure", "check", "consider", "remember", "keep", "try",
        "step", "summary", "answer", "example", "important", "great", "good", "well", "okay", "ok",
    };

    private static readonly HashSet<string> s_calendarWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    };

    [GeneratedRegex(@"(?<![\p{L}\d.,])[$€£¥]?(?<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?<frac>\d+))?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\b(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDatePattern();

    [GeneratedRegex(@"\b(?<a>\d{1,2})/(?<b>\d{1,2})/(?<y>\d{4})\b", RegexOptions.CultureInvariant)]
    private static partial Regex SlashDatePattern();

    [GeneratedRegex(@"\b(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<y>\d{4})\b", RegexOptions.CultureInvariant)]
    private static partial Regex MonthFirstDatePattern();

    [GeneratedRegex(@"\b(?<d>\d{1,2})(?:st|nd|rd|th)?\s+(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+(?<y>\d{4})\b", RegexOptions.CultureInvariant)]
    private static partial Regex DayFirstDatePattern();

    [GeneratedRegex(@"[\p{L}\p{M}][\p{L}\p{M}\d'’-]*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>Numbers in <paramref name="text"/>, normalised, with their spans.</summary>
    public static IEnumerable<(string Value, TextSpan Span)> Numbers(string text)
    {
        foreach (Match match in NumberPattern().Matches(text))
        {
            yield return (Normalise(match.Groups["int"].Value, match.Groups["frac"].Value), new(match.Index, match.Length));
        }
    }

    /// <summary>Dates in <paramref name="text"/>: each as the yyyy-mm-dd readings it allows (two for an ambiguous "3/4/2024").</summary>
    public static IEnumerable<(string[] Readings, TextSpan Span)> Dates(string text)
    {
        foreach (Match m in IsoDatePattern().Matches(text))
        {
            yield return ([Date(m.Groups["y"].Value, m.Groups["m"].Value, m.Groups["d"].Value)], new(m.Index, m.Length));
        }
        foreach (Match m in SlashDatePattern().Matches(text))
        {
            var y = m.Groups["y"].Value;
            var a = m.Groups["a"].Value;
            var b = m.Groups["b"].Value;
            yield return ([Date(y, a, b), Date(y, b, a)], new(m.Index, m.Length));
        }
        foreach (var pattern in (Regex[])[MonthFirstDatePattern(), DayFirstDatePattern()])
        {
            foreach (Match m in pattern.Matches(text))
            {
                var month = Array.IndexOf(s_months, m.Groups["mon"].Value.ToLowerInvariant()) + 1;
                yield return ([Date(m.Groups["y"].Value, month.ToString(CultureInfo.InvariantCulture), m.Groups["d"].Value)], new(m.Index, m.Length));
            }
        }
    }

    /// <summary>Lower-cased words of <paramref name="text"/>.</summary>
    public static IEnumerable<string> Words(string text)
    {
        foreach (Match match in WordPattern().Matches(text))
        {
            yield return match.Value.ToLowerInvariant();
        }
    }

    /// <summary>
    /// Names in a sentence: runs of capitalised words separated by single spaces, without a common word
    /// that only opens the sentence, "I", one-letter words and calendar words (dates are checked as dates).
    /// </summary>
    public static List<string> Names(string sentence)
    {
        var names = new List<string>();
        var run = new List<string>();
        var previousEnd = -1;
        var first = true;
        foreach (Match match in WordPattern().Matches(sentence))
        {
            var word = match.Value;
            var adjacent = previousEnd >= 0 && match.Index == previousEnd + 1 && sentence[previousEnd] == ' ';
            previousEnd = match.Index + match.Length;
            var opening = first;
            first = false;
            var capitalised = char.IsUpper(word[0]) && word.Length > 1 && word != "I"
                && !s_calendarWords.Contains(word) && !(opening && IsCommon(word));
            if (!capitalised || !adjacent)
            {
                Flush(run, names);
            }
            if (capitalised)
            {
                run.Add(word);
            }
        }
        Flush(run, names);
        return names;
    }

    private static bool IsCommon(string word) =>
        s_commonWords.Contains(word)
        || (word.Length > 2 && word[^2] is '\'' or '’' && word[^1] == 's' && s_commonWords.Contains(word[..^2]));

    private static void Flush(List<string> run, List<string> names)
    {
        if (run.Count > 0)
        {
            names.Add(string.Join(' ', run));
            run.Clear();
        }
    }

    private static string Date(string year, string month, string day) =>
        $"{int.Parse(year, CultureInfo.InvariantCulture):D4}-{int.Parse(month, CultureInfo.InvariantCulture):D2}-{int.Parse(day, CultureInfo.InvariantCulture):D2}";

    private static string Normalise(string integer, string fraction)
    {
        var whole = integer.Replace(",", "", StringComparison.Ordinal).TrimStart('0');
        if (whole.Length == 0)
        {
            whole = "0";
        }
        var frac = fraction.TrimEnd('0');
        return frac.Length == 0 ? whole : whole + "." + frac;
    }
}
