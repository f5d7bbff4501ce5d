using System.Globalization;
using System.Text;

namespace Switchyard.Caching.Semantic;

/// <summary>
/// Cheap checks beside the similarity that refuse a semantic match when two texts differ where an
/// embedding barely looks: other numbers ("5 miles" / "15 miles"), a negation on one side only, an
/// operation turned into its opposite ("ascending" / "descending"), or another language. Each of
/// these scores 0.9 and above with all-MiniLM-L6-v2 yet needs a different answer.
/// </summary>
internal static class MatchVetoes
{
    private static readonly HashSet<string> s_negations = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "none", "nothing", "nobody", "nowhere", "neither", "nor", "without", "cannot", "cant",
        "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt", "shouldnt", "couldnt", "hasnt", "havent", "hadnt", "mustnt",
        "non", "ne", "pas", "jamais", "nunca", "nicht", "kein", "keine", "nie",
    };

    private static readonly (string, string)[] s_opposites =
    [
        ("ascending", "descending"), ("asc", "desc"), ("increase", "decrease"), ("increasing", "decreasing"), ("encrypt", "decrypt"),
        ("encode", "decode"), ("compress", "decompress"), ("zip", "unzip"), ("advantages", "disadvantages"), ("pros", "cons"),
        ("before", "after"), ("minimum", "maximum"), ("min", "max"), ("smallest", "largest"), ("lowest", "highest"),
        ("add", "remove"), ("insert", "delete"), ("import", "export"), ("upload", "download"), ("enable", "disable"),
        ("buy", "sell"), ("push", "pull"), ("open", "close"), ("start", "stop"), ("lock", "unlock"), ("install", "uninstall"),
        ("serialize", "deserialize"), ("uppercase", "lowercase"), ("upper", "lower"), ("first", "last"), ("left", "right"),
        ("above", "below"), ("inner", "outer"), ("input", "output"), ("in", "out"), ("up", "down"), ("forward", "backward"),
        ("celsius", "fahrenheit"), ("km", "miles"), ("kilometers", "miles"), ("kg", "pounds"), ("to", "from"),
        ("true", "false"), ("positive", "negative"), ("benefits", "risks"), ("cheap", "expensive"), ("hot", "cold"),
        ("fast", "slow"), ("more", "less"), ("better", "worse"), ("best", "worst"), ("earliest", "latest"), ("oldest", "newest"),
        ("union", "intersection"), ("merge", "split"), ("join", "split"), ("rows", "columns"), ("horizontal", "vertical"),
        ("client", "server"), ("frontend", "backend"), ("synchronous", "asynchronous"), ("sync", "async"), ("public", "private"),
        ("mean", "median"), ("sum", "average"), ("list", "set"), ("array", "list"), ("string", "integer"),
    ];

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

    /// <summary>Null when nothing forbids serving one text's answer to the other; else why.</summary>
    public static string? Veto(string a, string b)
    {
        var wordsA = Words(a);
        var wordsB = Words(b);
        if (!Numbers(a).SequenceEqual(Numbers(b)))
        {
            return "numbers differ";
        }

        if (wordsA.Count(s_negations.Contains) != wordsB.Count(s_negations.Contains))
        {
            return "negation differs";
        }

        var setA = wordsA.ToHashSet(StringComparer.Ordinal);
        var setB = wordsB.ToHashSet(StringComparer.Ordinal);
        foreach (var (x, y) in s_opposites)
        {
            if ((setA.Contains(x) && !setA.Contains(y) && setB.Contains(y) && !setB.Contains(x))
                || (setA.Contains(y) && !setA.Contains(x) && setB.Contains(x) && !setB.Contains(y)))
            {
                return $"opposite operations ({x} / {y})";
            }
        }

        if (Language(a, wordsA) != Language(b, wordsB))
        {
            return "language differs";
        }

        return null;
    }

    /// <summary>Lower-case words with apostrophes dropped ("don't" → "dont").</summary>
    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (c is '\'' or '’')
            {
                continue;
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>The numbers in a text, normalised ("1,000" = "1000", "2.50" = "2.5"), sorted.</summary>
    internal static List<string> Numbers(string text)
    {
        var numbers = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] is '.' or ',' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
            {
                i++;
            }

            var raw = text[start..i].Replace(",", "", StringComparison.Ordinal);
            numbers.Add(decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value.ToString("G29", CultureInfo.InvariantCulture) : raw);
        }

        numbers.Sort(StringComparer.Ordinal);
        return numbers;
    }

    /// <summary>A coarse language guess: the writing system, then the Latin-script language with most stopwords.</summary>
    internal static string Language(string text, List<string> words)
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
}
