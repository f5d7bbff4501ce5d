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
        "non", "ne", "pas", "jamais", "nunca", "nicht", "kein", "keine", "nie", "avoid", "avoiding", "lack", "lacks",
    };

    /// <summary>Words that carry no subject of their own: a difference in them never changes what is asked.</summary>
    private static readonly HashSet<string> s_function = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "is", "are", "was", "were", "be", "been", "what", "whats", "how", "do", "does", "did", "i", "im", "me", "my", "mine",
        "we", "our", "you", "your", "it", "its", "this", "that", "these", "those", "there", "to", "of", "in", "into", "for", "on", "at", "by",
        "with", "from", "and", "or", "but", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "please", "kindly",
        "which", "who", "whom", "why", "when", "where", "some", "any", "about", "tell", "give", "get", "explain", "show", "help", "hi", "hello",
        "hey", "thanks", "thank", "just", "also", "so", "very", "really", "quick", "quickly", "briefly", "exactly", "way", "best", "like", "as",
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

        // "3 to the power of 4" and "4 to the power of 3" hold the same numbers in another order.
        if (!NumbersInOrder(a).SequenceEqual(NumbersInOrder(b)))
        {
            return "numbers in another order";
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

        // The same subject words in another order turn a question around: "convert a string to a
        // date" and "convert a date to a string".
        var contentA = wordsA.Where(w => !s_function.Contains(w)).Select(Stem).ToList();
        var contentB = wordsB.Where(w => !s_function.Contains(w)).Select(Stem).ToList();
        if (!contentA.SequenceEqual(contentB) && contentA.Order(StringComparer.Ordinal).SequenceEqual(contentB.Order(StringComparer.Ordinal)))
        {
            return "same words in another order";
        }

        // One subject word swapped for another, the rest identical, is the shape of most near-misses
        // (another airport, unit, antonym, un-/in-/dis- prefix). Only a typo is let through.
        var removed = contentA.Except(contentB, StringComparer.Ordinal).ToList();
        var added = contentB.Except(contentA, StringComparer.Ordinal).ToList();
        if (removed.Count == 1 && added.Count == 1)
        {
            var (x, y) = (removed[0], added[0]);
            var typo = Math.Min(x.Length, y.Length) >= 4 && EditDistance(x, y) <= 2 && !IsNegatingPrefix(x, y);
            if (!typo)
            {
                return $"one word changed ({x} / {y})";
            }
        }

        return null;
    }

    private static bool IsNegatingPrefix(string x, string y)
    {
        foreach (var prefix in (string[])["un", "in", "im", "il", "ir", "dis", "non", "de"])
        {
            if (x == prefix + y || y == prefix + x)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A light stem, so "converts" / "convert" and "chunks" / "chunk" are one word.</summary>
    private static string Stem(string word) =>
        word.Length > 4 && word.EndsWith("ing", StringComparison.Ordinal) ? word[..^3]
        : word.Length > 3 && word.EndsWith("es", StringComparison.Ordinal) && !word.EndsWith("ses", StringComparison.Ordinal) ? word[..^2]
        : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1]
        : word;

    private static int EditDistance(string s, string t)
    {
        var previous = new int[t.Length + 1];
        var current = new int[t.Length + 1];
        for (var j = 0; j <= t.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= s.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= t.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[t.Length];
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
        var numbers = NumbersInOrder(text);
        numbers.Sort(StringComparer.Ordinal);
        return numbers;
    }

    /// <summary>The numbers in a text, normalised, in the order they appear.</summary>
    internal static List<string> NumbersInOrder(string text)
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
