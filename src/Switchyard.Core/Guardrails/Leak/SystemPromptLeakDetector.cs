namespace Switchyard.Guardrails.Leak;

/// <summary>
/// Finds the system prompt repeated in an answer: runs of at least <see cref="MinimumWords"/> consecutive
/// words of the prompt, compared case-insensitively with punctuation and whitespace ignored (words are
/// runs of letters and digits), and configured canary tokens, compared exactly. Word n-grams are hashed
/// with a rolling hash, so a check is linear in both texts. Thread-safe.
/// </summary>
internal sealed class SystemPromptLeakDetector
{
    /// <summary>The default minimum run: long enough that stock phrases ("you are a helpful assistant") never count.</summary>
    public const int DefaultMinimumWords = 8;

    /// <summary>Characters of each text read (1 MiB); a leak past it in a longer answer is not seen.</summary>
    public const int MaxInputChars = 1 << 20;

    /// <summary>Spans reported per answer; the score still counts every span.</summary>
    public const int MaxSpans = 100;

    // Score denominators stop here: 50 verbatim words are a leak whatever the prompt's length.
    private const int ScoreWordCap = 50;

    // Odd multiplier for the polynomial hash over word hashes (arithmetic wraps mod 2^64).
    private const ulong Base = 0x9E3779B97F4A7C15UL;

    private readonly string[] _canaries;

    /// <param name="minimumWords">Consecutive prompt words that make a leak (at least 2).</param>
    /// <param name="canaries">Tokens planted in the system prompt that must never come back; empty ones are ignored.</param>
    public SystemPromptLeakDetector(int minimumWords = DefaultMinimumWords, IEnumerable<string>? canaries = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumWords, 2);
        MinimumWords = minimumWords;
        _canaries = (canaries ?? []).Where(c => !string.IsNullOrEmpty(c)).Distinct(StringComparer.Ordinal).ToArray();
    }

    public int MinimumWords { get; }

    /// <summary>Looks for <paramref name="systemPrompt"/> (all system and developer text, joined) in <paramref name="answer"/>.</summary>
    public LeakReport Detect(string? systemPrompt, string? answer)
    {
        if (string.IsNullOrEmpty(answer))
        {
            return LeakReport.None;
        }
        var spans = new List<LeakSpan>();
        var answerWords = Words(answer);
        var longest = 0;
        var promptWords = string.IsNullOrEmpty(systemPrompt) ? [] : Words(systemPrompt);
        if (promptWords.Count >= MinimumWords && answerWords.Count >= MinimumWords)
        {
            longest = FindVerbatim(promptWords, answerWords, spans);
        }
        var canaryFound = FindCanaries(answer, spans);
        if (spans.Count == 0)
        {
            return LeakReport.None;
        }
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var score = canaryFound ? 1.0 : Math.Min(1.0, longest / (double)Math.Min(promptWords.Count, ScoreWordCap));
        return new(spans.Count > MaxSpans ? spans[..MaxSpans] : spans, score, longest, canaryFound);
    }

    private int FindVerbatim(List<Word> prompt, List<Word> answer, List<LeakSpan> spans)
    {
        var k = MinimumWords;
        var power = 1UL;
        for (var i = 1; i < k; i++)
        {
            power *= Base;
        }
        var grams = new HashSet<ulong>();
        foreach (var hash in Grams(prompt, k, power))
        {
            grams.Add(hash);
        }

        var longest = 0;
        var runStart = -1;
        var index = 0;
        foreach (var hash in Grams(answer, k, power))
        {
            if (grams.Contains(hash))
            {
                if (runStart < 0)
                {
                    runStart = index;
                }
            }
            else if (runStart >= 0)
            {
                longest = Math.Max(longest, AddRun(answer, runStart, index - 1, k, spans));
                runStart = -1;
            }
            index++;
        }
        if (runStart >= 0)
        {
            longest = Math.Max(longest, AddRun(answer, runStart, index - 1, k, spans));
        }
        return longest;
    }

    // Consecutive matching windows overlap by k-1 words, so together they are one copied run.
    private static int AddRun(List<Word> answer, int firstWindow, int lastWindow, int k, List<LeakSpan> spans)
    {
        var first = answer[firstWindow];
        var last = answer[lastWindow + k - 1];
        var words = lastWindow - firstWindow + k;
        spans.Add(new(first.Start, last.End - first.Start, words, LeakKind.Verbatim));
        return words;
    }

    private static IEnumerable<ulong> Grams(List<Word> words, int k, ulong power)
    {
        var hash = 0UL;
        for (var i = 0; i < words.Count; i++)
        {
            if (i >= k)
            {
                hash -= words[i - k].Hash * power;
            }
            hash = hash * Base + words[i].Hash;
            if (i >= k - 1)
            {
                yield return hash;
            }
        }
    }

    private bool FindCanaries(string answer, List<LeakSpan> spans)
    {
        var found = false;
        var text = answer.Length > MaxInputChars ? answer[..MaxInputChars] : answer;
        foreach (var canary in _canaries)
        {
            var at = text.IndexOf(canary, StringComparison.Ordinal);
            while (at >= 0 && spans.Count < MaxSpans * 2)
            {
                found = true;
                spans.Add(new(at, canary.Length, Math.Max(1, Words(canary).Count), LeakKind.Canary));
                at = text.IndexOf(canary, at + canary.Length, StringComparison.Ordinal);
            }
        }
        return found;
    }

    /// <summary>Words as runs of letters and digits (surrogate pairs count as letters), each hashed lower-cased.</summary>
    private static List<Word> Words(string text)
    {
        var limit = Math.Min(text.Length, MaxInputChars);
        var words = new List<Word>();
        var start = -1;
        var hash = 0UL;
        for (var i = 0; i < limit; i++)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c) || char.IsSurrogate(c))
            {
                if (start < 0)
                {
                    start = i;
                    hash = 14695981039346656037UL;
                }
                hash = (hash ^ char.ToLowerInvariant(c)) * 1099511628211UL;
            }
            else if (start >= 0)
            {
                words.Add(new(start, i, Mix(hash)));
                start = -1;
            }
        }
        if (start >= 0)
        {
            words.Add(new(start, limit, Mix(hash)));
        }
        return words;
    }

    // FNV's low bits are weak; a finaliser spreads them before the polynomial combines words.
    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }

    private readonly record struct Word(int Start, int End, ulong Hash);
}
