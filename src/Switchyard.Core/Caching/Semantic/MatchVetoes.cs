namespace Switchyard.Caching.Semantic;

/// <summary>
/// Cheap checks beside the similarity that refuse a semantic match when two texts differ where an
/// embedding barely looks: other numbers ("5 miles" / "15 miles"), a negation on one side only, an
/// operation turned into its opposite ("ascending" / "descending"), another name ("Heathrow" /
/// "Gatwick"), a relation turned around ("string to date" / "date to string"), one subject word
/// swapped, or another language. Each of these scores 0.9 and above with all-MiniLM-L6-v2 yet needs a
/// different answer.
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
        "if", "whether", "th", "st", "nd", "rd", "s", "t", "d", "ll", "ve", "re", "m", "am", "has", "have", "had", "being", "than", "then", "out",
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
        ("on", "off"), ("tighten", "loosen"), ("tight", "loose"), ("for", "against"), ("summarize", "expand"), ("summarise", "expand"),
        ("shorten", "lengthen"), ("keep", "remove"), ("keep", "delete"), ("keep", "drop"), ("include", "exclude"), ("accept", "decline"),
        ("accept", "reject"), ("load", "save"), ("multiply", "divide"), ("add", "subtract"), ("plus", "minus"), ("win", "lose"),
        ("hire", "fire"), ("borrow", "lend"), ("send", "receive"), ("arrival", "departure"), ("arrive", "depart"), ("expand", "collapse"),
        ("show", "hide"), ("allow", "deny"), ("allow", "block"), ("grant", "revoke"), ("attach", "detach"), ("raise", "lower"),
        ("gain", "lose"), ("strength", "weakness"), ("benefit", "drawback"), ("pass", "fail"), ("success", "failure"), ("profit", "loss"),
        ("rise", "fall"), ("long", "short"), ("big", "small"), ("large", "small"), ("high", "low"), ("young", "old"), ("new", "old"),
        ("early", "late"), ("light", "dark"), ("heavy", "light"), ("wet", "dry"), ("safe", "dangerous"), ("safe", "toxic"),
        ("edible", "poisonous"), ("north", "south"), ("east", "west"), ("male", "female"), ("men", "women"), ("boy", "girl"),
        ("buyer", "seller"), ("debit", "credit"), ("income", "expense"), ("asset", "liability"), ("enter", "exit"),
        ("entry", "exit"), ("backup", "restore"), ("maximize", "minimize"), ("overestimate", "underestimate"),
        ("overweight", "underweight"), ("overpaid", "underpaid"), ("hardware", "software"), ("even", "odd"), ("sunrise", "sunset"),
    ];

    /// <summary>Words that relate what stands before them to what stands after: swapping the sides turns the question around.</summary>
    private static readonly HashSet<string> s_relations = new(StringComparer.Ordinal) { "to", "into", "from", "than", "vs", "versus" };

    /// <summary>Null when nothing forbids serving one text's answer to the other; else why.</summary>
    public static string? Veto(string a, string b)
    {
        var x = TextFeatures.Of(a);
        var y = TextFeatures.Of(b);
        if (!x.NumbersInOrder.Order(StringComparer.Ordinal).SequenceEqual(y.NumbersInOrder.Order(StringComparer.Ordinal)))
        {
            return "numbers differ";
        }

        // "3 to the power of 4" and "4 to the power of 3" hold the same numbers in another order.
        if (!x.NumbersInOrder.SequenceEqual(y.NumbersInOrder))
        {
            return "numbers in another order";
        }

        // "chunks of 3 elements" and "3 chunks": the same number counts something else.
        if (!Units(x).SequenceEqual(Units(y)))
        {
            return "numbers count other things";
        }

        if (x.Words.Count(s_negations.Contains) != y.Words.Count(s_negations.Contains))
        {
            return "negation differs";
        }

        if ((NegatedWord(x.Words, y.Words) ?? NegatedWord(y.Words, x.Words)) is { } negated)
        {
            return $"negation differs ({negated})";
        }

        // "turn on Bluetooth on my Mac" / "turn off Bluetooth on my Mac": one side has more of one word,
        // the other more of its opposite.
        var stemsA = x.Words.Select(Stem).CountBy(w => w, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var stemsB = y.Words.Select(Stem).CountBy(w => w, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        foreach (var (first, second) in s_opposites)
        {
            var (p, q) = (Stem(first), Stem(second));
            var moreP = stemsA.GetValueOrDefault(p) - stemsB.GetValueOrDefault(p);
            var moreQ = stemsA.GetValueOrDefault(q) - stemsB.GetValueOrDefault(q);
            if ((moreP > 0 && moreQ < 0) || (moreP < 0 && moreQ > 0))
            {
                return $"opposite operations ({first} / {second})";
            }
        }

        // A text too short to hold a stopword ("gross vs net income?") has no guessable language.
        if (x.Language != y.Language && x.Language != "unknown" && y.Language != "unknown")
        {
            return "language differs";
        }

        var wordsA = x.Words.ToHashSet(StringComparer.Ordinal);
        var wordsB = y.Words.ToHashSet(StringComparer.Ordinal);
        if ((x.Names.FirstOrDefault(n => !Mentions(wordsB, n)) ?? y.Names.FirstOrDefault(n => !Mentions(wordsA, n))) is { } name)
        {
            return $"names differ ({name})";
        }

        // "convert a string to a date" and "convert a date to a string".
        if (RelationTurned(x, y))
        {
            return "relation turned around";
        }

        // One subject word swapped for another, the rest identical, is the shape of most near-misses
        // (another airport, unit, antonym). Only a typo is let through.
        var contentA = Content(x);
        var contentB = Content(y);
        var removed = contentA.Except(contentB, StringComparer.Ordinal).ToList();
        var added = contentB.Except(contentA, StringComparer.Ordinal).ToList();
        if (removed.Count == 1 && added.Count == 1)
        {
            var (r, s) = (removed[0], added[0]);
            var typo = Math.Min(r.Length, s.Length) >= 4 && EditDistance(r, s) <= 2;
            if (!typo)
            {
                return $"one word changed ({r} / {s})";
            }
        }

        return null;
    }

    /// <summary>The name, or a word from the same root ("India" / "Indian", "Pythagorean" / "Pythagoras"; not "Austria" / "Australia").</summary>
    private static bool Mentions(HashSet<string> words, string name)
    {
        if (words.Contains(name))
        {
            return true;
        }

        foreach (var word in words)
        {
            var shorter = Math.Min(word.Length, name.Length);
            var common = word.AsSpan().CommonPrefixLength(name);
            if (common >= 4 && common >= 0.75 * shorter)
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> Content(TextFeatures text) =>
        text.Tokens.Where(t => !t.IsNumber && IsContent(t.Text)).Select(t => Stem(t.Text)).Distinct(StringComparer.Ordinal).ToList();

    private static bool IsContent(string word) => !s_function.Contains(word) && !s_negations.Contains(word);

    /// <summary>The subject word written right after each number ("3 cups", "10-week"), or "" when none is.</summary>
    private static List<string> Units(TextFeatures text)
    {
        var units = new List<string>();
        var tokens = text.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsNumber)
            {
                var next = i + 1 < tokens.Count ? tokens[i + 1] : default;
                units.Add(next.Text is not null && next.Adjacent && !next.IsNumber && IsContent(next.Text) ? Stem(next.Text) : "");
            }
        }

        return units;
    }

    /// <summary>A word on one side that the other side holds with a negating prefix ("like" / "dislike").</summary>
    private static string? NegatedWord(List<string> words, List<string> others)
    {
        var mine = words.ToHashSet(StringComparer.Ordinal);
        foreach (var other in others)
        {
            if (mine.Contains(other))
            {
                continue;
            }

            foreach (var prefix in (string[])["un", "in", "im", "il", "ir", "dis", "non", "de", "anti"])
            {
                if (other.Length > prefix.Length + 2 && other.StartsWith(prefix, StringComparison.Ordinal) && mine.Contains(other[prefix.Length..])
                    && !others.Contains(other[prefix.Length..]))
                {
                    return $"{other[prefix.Length..]} / {other}";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// True when a relation word ("to", "from", "than") has, on one side, subject words before it that the
    /// other side puts after it, and the other way round.
    /// </summary>
    private static bool RelationTurned(TextFeatures x, TextFeatures y)
    {
        foreach (var (relation, beforeA, afterA) in Relations(x))
        {
            foreach (var (other, beforeB, afterB) in Relations(y))
            {
                if (relation == other && beforeA.Overlaps(afterB) && afterA.Overlaps(beforeB))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static IEnumerable<(string Relation, HashSet<string> Before, HashSet<string> After)> Relations(TextFeatures text)
    {
        const int Reach = 2;
        var tokens = text.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsNumber || !s_relations.Contains(tokens[i].Text))
            {
                continue;
            }

            var before = new HashSet<string>(StringComparer.Ordinal);
            for (var j = i - 1; j >= 0 && before.Count < Reach && !tokens[j + 1].AfterBreak; j--)
            {
                if (IsContent(tokens[j].Text) || tokens[j].IsNumber)
                {
                    before.Add(Stem(tokens[j].Text));
                }
            }

            var after = new HashSet<string>(StringComparer.Ordinal);
            for (var j = i + 1; j < tokens.Count && after.Count < Reach && !tokens[j].AfterBreak; j++)
            {
                if (IsContent(tokens[j].Text) || tokens[j].IsNumber)
                {
                    after.Add(Stem(tokens[j].Text));
                }
            }

            yield return (tokens[i].Text, before, after);
        }
    }

    /// <summary>A light stem, so "converts" / "convert", "making" / "make" and "chunks" / "chunk" are one word.</summary>
    private static string Stem(string word)
    {
        var stem = word.Length > 5 && word.EndsWith("ly", StringComparison.Ordinal) ? word[..^2]
            : word.Length > 4 && word.EndsWith("ing", StringComparison.Ordinal) ? word[..^3]
            : word.Length > 4 && word.EndsWith("ed", StringComparison.Ordinal) ? word[..^2]
            : word.Length > 3 && word.EndsWith("es", StringComparison.Ordinal) && !word.EndsWith("ses", StringComparison.Ordinal) ? word[..^2]
            : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1]
            : word;
        return stem.Length > 3 && stem.EndsWith('e') ? stem[..^1] : stem;
    }

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
}
