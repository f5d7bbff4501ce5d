namespace Switchyard.Guardrails.Pii;

/// <summary>
/// E-mail addresses: a dot-atom local part, '@', and a domain of at least two labels whose last label is a
/// letter TLD or an IDNA "xn--" label. Scanned by hand from each '@', reading at most 64 characters back and
/// 253 forward (the RFC 5321 limits), so the cost is linear in the text.
/// </summary>
internal sealed class EmailRecognizer : IPiiRecognizer
{
    private const int MaxLocal = 64;
    private const int MaxDomain = 253;

    public IReadOnlyList<string> Types { get; } = [PiiTypes.EmailAddress];

    public void Find(string text, List<PiiEntity> results)
    {
        int at = text.IndexOf('@');
        while (at >= 0)
        {
            int next = TryMatch(text, at, results);
            at = text.IndexOf('@', Math.Max(at + 1, next));
        }
    }

    private static bool IsLocalChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '\'';

    private static bool IsDomainChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';

    /// <summary>Adds the address around the '@' at <paramref name="at"/> when valid; returns where to resume.</summary>
    private int TryMatch(string text, int at, List<PiiEntity> results)
    {
        int start = at;
        while (start > 0 && at - start < MaxLocal && IsLocalChar(text[start - 1]))
        {
            start--;
        }

        // A quote or dot may open a quoted phrase ("'bob@x.com'"); neither starts a local part.
        while (start < at && text[start] is '.' or '\'' or '-')
        {
            start++;
        }

        int end = at + 1;
        while (end < text.Length && end - at <= MaxDomain && IsDomainChar(text[end]))
        {
            end++;
        }

        // A sentence's full stop or a dash after the address belongs to the sentence.
        while (end > at + 1 && text[end - 1] is '.' or '-')
        {
            end--;
        }

        if (start == at || end == at + 1 || text[at - 1] == '.' || text.AsSpan(start, at - start).Contains("..", StringComparison.Ordinal))
        {
            return at + 1;
        }

        if (!IsValidDomain(text.AsSpan(at + 1, end - at - 1)))
        {
            return at + 1;
        }

        results.Add(new PiiEntity(PiiTypes.EmailAddress, start, end - start, 0.95));
        return end;
    }

    private static bool IsValidDomain(ReadOnlySpan<char> domain)
    {
        int labels = 0;
        ReadOnlySpan<char> last = default;
        foreach (Range range in domain.Split('.'))
        {
            ReadOnlySpan<char> label = domain[range];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            labels++;
            last = label;
        }

        if (labels < 2)
        {
            return false;
        }

        if (last.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
        {
            return last.Length > 4;
        }

        if (last.Length is < 2 or > 24)
        {
            return false;
        }

        foreach (char c in last)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }
}
