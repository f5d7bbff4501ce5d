using System.Globalization;
using System.Text;

namespace Switchyard.Caching.Semantic;

/// <summary>
/// What the match vetoes read from a text: its words (lower-case, apostrophes dropped, so "don't" is
/// "dont"), its numbers in order (digits normalised, "1,000" = "1000", and number words, "seven" = "7"),
/// the word that follows each number (its unit), the capitalised names inside sentences (or with a capital inside, "eBay"), and a guess at
/// its language. Courtesy formulas that hold a "not" ("if it's not too much trouble") are cut first, so
/// politeness never reads as negation.
/// </summary>
internal sealed class TextFeatures
{
    private static readonly string[] s_courtesies =
    [
        "if it's not too much trouble", "if it is not too much trouble", "if its not too much trouble", "if you don't mind",
        "if you do not mind", "if you dont mind", "if you wouldn't mind", "if you would not mind", "no worries if not",
        "not sure if you can help but", "i don't know if you can help but",
    ];

    private static readonly Dictionary<string, string> s_numberWords = new(StringComparer.Ordinal)
    {
        // "one" and "first" are left out: "which one", "for the first time" are rarely numbers.
        ["two"] = "2", ["three"] = "3", ["four"] = "4", ["five"] = "5", ["six"] = "6", ["seven"] = "7", ["eight"] = "8", ["nine"] = "9",
        ["ten"] = "10", ["eleven"] = "11", ["twelve"] = "12", ["thirteen"] = "13", ["fourteen"] = "14", ["fifteen"] = "15", ["sixteen"] = "16",
        ["seventeen"] = "17", ["eighteen"] = "18", ["nineteen"] = "19", ["twenty"] = "20", ["thirty"] = "30", ["forty"] = "40", ["fifty"] = "50",
        ["sixty"] = "60", ["seventy"] = "70", ["eighty"] = "80", ["ninety"] = "90", ["hundred"] = "100", ["thousand"] = "1000",
        ["million"] = "1000000", ["billion"] = "1000000000", ["dozen"] = "12", ["twice"] = "2", ["half"] = "0.5", ["double"] = "2", ["triple"] = "3",
        ["second"] = "2", ["third"] = "3", ["fourth"] = "4", ["fifth"] = "5", ["sixth"] = "6", ["seventh"] = "7", ["eighth"] = "8", ["ninth"] = "9",
        ["tenth"] = "10", ["eleventh"] = "11", ["twelfth"] = "12", ["twentieth"] = "20", ["hundredth"] = "100",
    };

    private static readonly Dictionary<string, string[]> s_stopwords = new(StringComparer.Ordinal)
    {
        ["en"] = ["the", "is", "are", "what", "how", "and", "of", "to", "in", "for", "my", "a", "do", "can", "you", "with", "i", "it", "this", "on"],
        ["fr"] = ["le", "la", "les", "est", "quel", "quelle", "comment", "et", "de", "des", "du", "pour", "mon", "ma", "un", "une", "je", "vous", "avec", "dans", "que", "en"],
        ["es"] = ["el", "la", "los", "las", "es", "qué", "que", "cómo", "como", "y", "de", "del", "para", "mi", "un", "una", "yo", "con", "en", "por"],
        ["de"] = ["der", "die", "das", "ist", "was", "wie", "und", "von", "zu", "für", "mein", "meine", "ein", "eine", "ich", "mit", "in", "den", "dem", "kann"],
        ["it"] = ["il", "lo", "la", "gli", "è", "che", "come", "e", "di", "per", "mio", "mia", "un", "una", "io", "con", "in", "del", "della"],
        ["pt"] = ["o", "a", "os", "as", "é", "que", "como", "e", "de", "do", "da", "para", "meu", "minha", "um", "uma", "eu", "com", "em"],
        ["nl"] = ["de", "het", "een", "is", "wat", "hoe", "en", "van", "voor", "mijn", "ik", "met", "in", "op", "kan"],
    };

    private TextFeatures()
    {
    }

    /// <summary>Every word and number in order; a number's entry is its normalised value.</summary>
    public List<Token> Tokens { get; } = [];

    public List<string> Words { get; } = [];

    public List<string> NumbersInOrder { get; } = [];

    /// <summary>Names written with a capital inside a sentence ("Heathrow", "eBay", "II"), lower-cased.</summary>
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    public string Language { get; private set; } = "unknown";

    public static TextFeatures Of(string text)
    {
        var features = new TextFeatures();
        text = WithoutCourtesies(text.Normalize(NormalizationForm.FormC));
        features.Read(text);
        features.Language = GuessLanguage(text, features.Words);
        return features;
    }

    private static string WithoutCourtesies(string text)
    {
        foreach (var courtesy in s_courtesies)
        {
            text = text.Replace(courtesy, " ", StringComparison.OrdinalIgnoreCase).Replace(courtesy.Replace('\'', '’'), " ", StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    private void Read(string text)
    {
        var sentenceStart = true;
        var clauseBreak = false;
        var adjacent = false;
        var i = 0;
        var word = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] is '.' or ',' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
                {
                    i++;
                }

                var raw = text[start..i].Replace(",", "", StringComparison.Ordinal);
                AddNumber(decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value.ToString("G29", CultureInfo.InvariantCulture) : raw, clauseBreak, adjacent);
                (sentenceStart, clauseBreak, adjacent) = (false, false, true);
                continue;
            }

            if (char.IsLetter(c))
            {
                word.Clear();
                var capitalInside = false;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] is '\'' or '’' && i + 1 < text.Length && char.IsLetter(text[i + 1]))))
                {
                    if (text[i] is '\'' or '’' && ContractionLength(text, i + 1) is > 0 and var length)
                    {
                        // "France's" is France, "I'd" is I; "don't" stays "dont", a negation.
                        i += 1 + length;
                        break;
                    }

                    if (char.IsLetterOrDigit(text[i]))
                    {
                        capitalInside |= word.Length > 0 && char.IsUpper(text[i]);
                        word.Append(char.ToLowerInvariant(text[i]));
                    }

                    i++;
                }

                var lower = word.ToString();
                if (s_numberWords.TryGetValue(lower, out var number))
                {
                    AddNumber(number, clauseBreak, adjacent);
                }
                else
                {
                    Words.Add(lower);
                    Tokens.Add(new Token(lower, IsNumber: false, clauseBreak, adjacent));
                    if (((char.IsUpper(c) && !sentenceStart) || capitalInside) && lower != "i")
                    {
                        Names.Add(lower);
                    }
                }

                (sentenceStart, clauseBreak, adjacent) = (false, false, true);
                continue;
            }

            if (c is '.' or '?' or '!' or ':' or ';' or '\n')
            {
                sentenceStart = true;
            }

            clauseBreak |= c is '.' or '?' or '!' or ':' or ';' or '\n' or ',' or '(' or ')' or '"';
            adjacent &= c is ' ' or '-';
            i++;
        }
    }

    private void AddNumber(string value, bool clauseBreak, bool adjacent)
    {
        NumbersInOrder.Add(value);
        Tokens.Add(new Token(value, IsNumber: true, clauseBreak, adjacent));
    }

    /// <summary>The letters of a contraction that adds nothing ('s, 'd, 'll, 've, 're, 'm) starting at <paramref name="at"/>, else 0.</summary>
    private static int ContractionLength(string text, int at)
    {
        foreach (var ending in (string[])["s", "d", "ll", "ve", "re", "m"])
        {
            if (text.AsSpan(at).StartsWith(ending, StringComparison.OrdinalIgnoreCase)
                && (at + ending.Length == text.Length || !char.IsLetter(text[at + ending.Length])))
            {
                return ending.Length;
            }
        }

        return 0;
    }

    /// <summary>A coarse guess: the writing system, then the Latin-script language with most stopwords.</summary>
    private static string GuessLanguage(string text, List<string> words)
    {
        int latin = 0, other = 0;
        string? script = null;
        foreach (var c in text)
        {
            if (!char.IsLetter(c))
            {
                continue;
            }

            if (c < 0x250)
            {
                latin++;
            }
            else
            {
                other++;
                script ??= c switch
                {
                    >= '\u0400' and <= '\u04FF' => "cyrillic",
                    >= '\u3040' and <= '\u30FF' => "japanese",
                    >= '\u4E00' and <= '\u9FFF' => "cjk",
                    >= '\uAC00' and <= '\uD7AF' => "korean",
                    >= '\u0600' and <= '\u06FF' => "arabic",
                    >= '\u0590' and <= '\u05FF' => "hebrew",
                    >= '\u0900' and <= '\u097F' => "devanagari",
                    >= '\u0370' and <= '\u03FF' => "greek",
                    _ => null,
                };
            }
        }

        if (other > latin)
        {
            return script ?? "other";
        }

        var best = "unknown";
        var bestCount = 0;
        foreach (var (language, stopwords) in s_stopwords)
        {
            var count = words.Count(w => stopwords.Contains(w));
            if (count > bestCount)
            {
                (best, bestCount) = (language, count);
            }
        }

        return best;
    }

    /// <param name="Text">The lower-case word, or the normalised number.</param>
    /// <param name="IsNumber">A number, written in digits or words.</param>
    /// <param name="AfterBreak">Punctuation (a comma or stronger) stands between this token and the one before.</param>
    /// <param name="Adjacent">Only spaces or hyphens stand between this token and the one before ("10-week", "3 cups").</param>
    internal readonly record struct Token(string Text, bool IsNumber, bool AfterBreak, bool Adjacent);
}
