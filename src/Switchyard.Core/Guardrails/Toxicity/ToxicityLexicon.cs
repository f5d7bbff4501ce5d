using System.Globalization;

namespace Switchyard.Guardrails.Toxicity;

/// <summary>
/// Word lists by category, indexed for matching a whole normalised word (or a run of words for a
/// phrase): never a substring, so "Scunthorpe", "assassin" and "class" match nothing. A word stretched
/// by repeated letters ("fuuuck") matches an entry that collapses to the same letters, but only when it
/// is longer than the entry, so "as" does not match "ass".
/// </summary>
internal sealed class ToxicityLexicon
{
    private static readonly Lazy<ToxicityLexicon> s_shipped = new(LoadShipped);

    // Keyed by the collapsed first word; the entry's own words decide the match.
    private readonly Dictionary<string, List<LexiconEntry>> _byFirstWord = new(StringComparer.Ordinal);
    private readonly List<LexiconEntry> _stems = [];

    public ToxicityLexicon(IEnumerable<LexiconEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.Stem && entry.Words.Count == 1)
            {
                _stems.Add(entry);
                continue;
            }
            var key = ToxicityNormalizer.Collapse(entry.Words[0]);
            if (!_byFirstWord.TryGetValue(key, out var list))
            {
                _byFirstWord[key] = list = [];
            }
            list.Add(entry);
            Count++;
        }
        Count += _stems.Count;
    }

    /// <summary>The lexicon under <c>Guardrails/Toxicity/Data</c>, embedded in the assembly.</summary>
    public static ToxicityLexicon Shipped => s_shipped.Value;

    public int Count { get; }

    /// <summary>Entries from one file's lines: <c>#</c> comments, <c>pattern</c>, <c>pattern|weight</c>, <c>stem*</c>.</summary>
    public static IEnumerable<LexiconEntry> Parse(string category, IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var weight = 1.0;
            var bar = line.LastIndexOf('|');
            if (bar > 0 && double.TryParse(line.AsSpan(bar + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                weight = Math.Clamp(parsed, 0, 1);
                line = line[..bar].Trim();
            }
            var stem = line.EndsWith('*');
            var pattern = stem ? line[..^1] : line;
            var words = ToxicityNormalizer.Tokens(pattern, int.MaxValue).Select(t => t.Text).ToArray();
            if (words.Length > 0)
            {
                yield return new(category, line, words, stem && words.Length == 1, weight);
            }
        }
    }

    /// <summary>Entries that match starting at <paramref name="index"/>, with the number of tokens each covers.</summary>
    public IEnumerable<(LexiconEntry Entry, int Tokens)> MatchesAt(IReadOnlyList<ToxicityToken> tokens, int index)
    {
        var word = tokens[index].Text;
        if (_byFirstWord.TryGetValue(ToxicityNormalizer.Collapse(word), out var entries))
        {
            foreach (var entry in entries)
            {
                if (PhraseMatches(entry, tokens, index))
                {
                    yield return (entry, entry.Words.Count);
                }
            }
        }
        foreach (var stem in _stems)
        {
            if (StemMatches(stem.Words[0], word))
            {
                yield return (stem, 1);
            }
        }
    }

    /// <summary>Single-word entries that match <paramref name="word"/> (a word spelled out letter by letter).</summary>
    public IEnumerable<LexiconEntry> MatchesWord(string word)
    {
        var single = new[] { new ToxicityToken(word, 0, 0) };
        foreach (var (entry, count) in MatchesAt(single, 0))
        {
            if (count == 1)
            {
                yield return entry;
            }
        }
    }

    private static bool PhraseMatches(LexiconEntry entry, IReadOnlyList<ToxicityToken> tokens, int index)
    {
        if (index + entry.Words.Count > tokens.Count)
        {
            return false;
        }
        for (var k = 0; k < entry.Words.Count; k++)
        {
            if (!WordMatches(tokens[index + k].Text, entry.Words[k]))
            {
                return false;
            }
        }
        return true;
    }

    private static bool WordMatches(string token, string word) =>
        token == word || (token.Length > word.Length && ToxicityNormalizer.Collapse(token) == ToxicityNormalizer.Collapse(word));

    private static bool StemMatches(string stem, string token) =>
        token.StartsWith(stem, StringComparison.Ordinal)
        || (token.Length > stem.Length && ToxicityNormalizer.Collapse(token).StartsWith(ToxicityNormalizer.Collapse(stem), StringComparison.Ordinal));

    private static ToxicityLexicon LoadShipped()
    {
        var assembly = typeof(ToxicityLexicon).Assembly;
        var entries = new List<LexiconEntry>();
        foreach (var category in ToxicityCategories.All)
        {
            var name = $"Switchyard.Guardrails.Toxicity.Data.{category}.txt";
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The toxicity lexicon {name} is not embedded in {assembly.GetName().Name}.");
            using var reader = new StreamReader(stream);
            entries.AddRange(Parse(category, reader.ReadToEnd().Split('\n')));
        }
        return new(entries);
    }
}
