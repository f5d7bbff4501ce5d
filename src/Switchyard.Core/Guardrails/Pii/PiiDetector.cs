namespace Switchyard.Guardrails.Pii;

/// <summary>
/// Finds personal data and secrets in text with local recognisers only: validated formats (checksums,
/// issuer and country tables, libphonenumber) for the structured types, public-data gazetteers with
/// context and capitalisation for names and places, and published key formats for secrets. Thread-safe;
/// build one and share it.
/// </summary>
/// <remarks>
/// Every recogniser scans linearly and bounds the work per candidate (see each recogniser's remarks), so a
/// 1 MB text finishes in bounded time; malformed UTF-16 (lone surrogates) and format characters are treated
/// as ordinary non-word characters.
/// </remarks>
internal sealed class PiiDetector
{
    private const int LinearLimit = 32;

    private readonly IPiiRecognizer[] _recognizers;

    public PiiDetector()
        : this(
        [
            new SecretRecognizer(), new EmailRecognizer(), new CreditCardRecognizer(), new IbanRecognizer(),
            new UsSsnRecognizer(), new IpAddressRecognizer(), new PhoneNumberRecognizer(), new NameRecognizer(),
        ])
    {
    }

    internal PiiDetector(IPiiRecognizer[] recognizers)
    {
        _recognizers = recognizers;
    }

    /// <summary>
    /// The entities in <paramref name="text"/>, sorted by start and not overlapping (of two overlapping
    /// candidates the higher score wins, then the longer). <paramref name="types"/> limits the search to
    /// those <see cref="PiiTypes"/>; null searches all.
    /// </summary>
    public IReadOnlyList<PiiEntity> Find(string text, IReadOnlySet<string>? types = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var candidates = new List<PiiEntity>();
        foreach (IPiiRecognizer recognizer in _recognizers)
        {
            if (types is null || Covers(recognizer, types))
            {
                recognizer.Find(text, candidates);
            }
        }

        if (types is not null)
        {
            candidates.RemoveAll(e => !types.Contains(e.Type));
        }

        return Resolve(text.Length, candidates);
    }

    private static bool Covers(IPiiRecognizer recognizer, IReadOnlySet<string> types)
    {
        foreach (string type in recognizer.Types)
        {
            if (types.Contains(type))
            {
                return true;
            }
        }

        return false;
    }

    private static List<PiiEntity> Resolve(int textLength, List<PiiEntity> candidates)
    {
        if (candidates.Count <= 1)
        {
            return candidates;
        }

        candidates.Sort(static (a, b) =>
        {
            int byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : b.Length != a.Length ? b.Length.CompareTo(a.Length) : a.Start.CompareTo(b.Start);
        });

        var kept = new List<PiiEntity>(candidates.Count);
        // Few candidates: compare pairwise. Many (a long document): mark taken characters, so the work stays
        // linear in the text and the candidates' lengths instead of quadratic in their number.
        bool[]? taken = candidates.Count > LinearLimit ? new bool[textLength] : null;
        foreach (PiiEntity candidate in candidates)
        {
            if (taken is null ? OverlapsAny(kept, candidate) : taken.AsSpan(candidate.Start, candidate.Length).Contains(true))
            {
                continue;
            }

            kept.Add(candidate);
            taken?.AsSpan(candidate.Start, candidate.Length).Fill(true);
        }

        kept.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return kept;
    }

    private static bool OverlapsAny(List<PiiEntity> kept, PiiEntity candidate)
    {
        foreach (PiiEntity k in kept)
        {
            if (candidate.Start < k.End && k.Start < candidate.End)
            {
                return true;
            }
        }

        return false;
    }
}
