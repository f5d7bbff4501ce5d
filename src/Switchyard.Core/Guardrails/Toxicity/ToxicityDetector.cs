namespace Switchyard.Guardrails.Toxicity;

/// <summary>
/// Scores text for insults, threats, profanity, sexual content, identity attacks and self-harm with a
/// hand-curated lexicon (Data/README.md), matching whole words and phrases after undoing common
/// disguises: case, compatibility forms, accents, look-alike letters, invisible characters, leetspeak,
/// stretched letters ("fuuuck") and words spelled out with separators ("f.u.c.k", "f u c k"). A word
/// list, not a model: it does not see sarcasm, context or new slang. Thread-safe.
/// </summary>
internal sealed class ToxicityDetector
{
    /// <summary>Characters of the text read (1 MiB); the rest is not scanned and the report says so.</summary>
    public const int MaxChars = 1 << 20;

    /// <summary>Matches listed per category; the score counts them all.</summary>
    public const int MaxMatchesPerCategory = 50;

    // A word spelled out letter by letter: at most this many separator characters between letters and
    // this many letters in all, so ordinary prose with "a" and "I" does not run together.
    private const int MaxSpelledGap = 3;
    private const int MaxSpelledLetters = 24;
    private const int MinSpelledLetters = 3;

    private static readonly Lazy<ToxicityDetector> s_shared = new(() => new(ToxicityLexicon.Shipped));

    private readonly ToxicityLexicon _lexicon;

    public ToxicityDetector(ToxicityLexicon lexicon)
    {
        _lexicon = lexicon;
    }

    /// <summary>A detector over the shipped lexicon.</summary>
    public static ToxicityDetector Shared => s_shared.Value;

    /// <summary>Scores <paramref name="text"/>; never throws on odd Unicode.</summary>
    public ToxicityReport Analyze(string? text)
    {
        var scores = ToxicityCategories.All.ToDictionary(c => c, _ => 0.0, StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text))
        {
            return new(scores, [], false);
        }
        var tokens = ToxicityNormalizer.Tokens(text, MaxChars);
        var found = new Dictionary<(string Category, int Start, int Length), ToxicityMatch>();
        for (var i = 0; i < tokens.Count; i++)
        {
            foreach (var (entry, count) in _lexicon.MatchesAt(tokens, i))
            {
                var last = tokens[i + count - 1];
                Add(found, new(entry.Category, tokens[i].Start, last.End - tokens[i].Start, entry.Pattern, entry.Weight));
            }
        }
        FindSpelledOut(text, tokens, found);

        var survivors = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var match in found.Values)
        {
            survivors[match.Category] = survivors.GetValueOrDefault(match.Category, 1.0) * (1 - match.Weight);
        }
        foreach (var (category, survive) in survivors)
        {
            scores[category] = 1 - survive;
        }
        var matches = found.Values
            .GroupBy(m => m.Category)
            .SelectMany(g => g.OrderBy(m => m.Start).Take(MaxMatchesPerCategory))
            .OrderBy(m => m.Start)
            .ThenBy(m => m.Category, StringComparer.Ordinal)
            .ToList();
        return new(scores, matches, text.Length > MaxChars);
    }

    /// <summary>Runs of one-letter words close together ("f.u.c.k", "k y s"), tried as one word from each letter.</summary>
    private void FindSpelledOut(string text, List<ToxicityToken> tokens, Dictionary<(string, int, int), ToxicityMatch> found)
    {
        var i = 0;
        while (i < tokens.Count)
        {
            if (tokens[i].Text.Length != 1)
            {
                i++;
                continue;
            }
            var end = i;
            while (end + 1 < tokens.Count && end - i + 1 < MaxSpelledLetters && tokens[end + 1].Text.Length == 1 && CloseTogether(text, tokens[end], tokens[end + 1]))
            {
                end++;
            }
            if (end - i + 1 >= MinSpelledLetters)
            {
                for (var from = i; from <= end - MinSpelledLetters + 1; from++)
                {
                    var letters = string.Concat(tokens.Skip(from).Take(end - from + 1).Select(t => t.Text));
                    for (var length = letters.Length; length >= MinSpelledLetters; length--)
                    {
                        var hits = _lexicon.MatchesWord(letters[..length]).ToList();
                        foreach (var entry in hits)
                        {
                            var last = tokens[from + length - 1];
                            Add(found, new(entry.Category, tokens[from].Start, last.End - tokens[from].Start, entry.Pattern, entry.Weight));
                        }
                        if (hits.Count > 0)
                        {
                            break;
                        }
                    }
                }
            }
            i = end + 1;
        }
    }

    private static bool CloseTogether(string text, ToxicityToken left, ToxicityToken right)
    {
        var gap = right.Start - left.End;
        return gap <= MaxSpelledGap && text.AsSpan(left.End, gap).IndexOfAny('\n', '\r') < 0;
    }

    private static void Add(Dictionary<(string, int, int), ToxicityMatch> found, ToxicityMatch match)
    {
        var key = (match.Category, match.Start, match.Length);
        if (!found.TryGetValue(key, out var existing) || existing.Weight < match.Weight)
        {
            found[key] = match;
        }
    }
}
