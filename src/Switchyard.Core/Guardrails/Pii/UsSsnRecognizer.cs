namespace Switchyard.Guardrails.Pii;

/// <summary>
/// US social security numbers, AAA-GG-SSSS, with dashes, spaces or dots (one kind throughout), or as nine bare
/// digits when a context word ("ssn", "social security") comes shortly before. Numbers the SSA never issues
/// are not reported: area 000, 666 or 900-999, group 00, serial 0000, and the advertising number 123-45-6789.
/// </summary>
internal sealed class UsSsnRecognizer : IPiiRecognizer
{
    private static readonly string[] s_context = ["ssn", "social security", "social sec", "ss#", "ss #", "tax id", "taxpayer"];

    public IReadOnlyList<string> Types { get; } = [PiiTypes.UsSsn];

    public void Find(string text, List<PiiEntity> results)
    {
        Span<char> d = stackalloc char[9];
        for (int i = 0; i + 9 <= text.Length; i++)
        {
            if (!TextScan.IsAsciiDigit(text[i]) || (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] is '-' or '.')))
            {
                continue;
            }

            int end;
            if (i + 11 <= text.Length && text[i + 3] is '-' or ' ' or '.' && text[i + 6] == text[i + 3]
                && AllDigits(text, i, 3) && AllDigits(text, i + 4, 2) && AllDigits(text, i + 7, 4))
            {
                end = i + 11;
                text.AsSpan(i, 3).CopyTo(d);
                text.AsSpan(i + 4, 2).CopyTo(d[3..]);
                text.AsSpan(i + 7, 4).CopyTo(d[5..]);
            }
            else if (AllDigits(text, i, 9) && HasContext(text, i))
            {
                end = i + 9;
                text.AsSpan(i, 9).CopyTo(d);
            }
            else
            {
                continue;
            }

            if (TextScan.IsWordCharAt(text, end) || (end + 1 < text.Length && text[end] is '-' or '.' && TextScan.IsAsciiDigit(text[end + 1])))
            {
                continue;
            }

            if (IsIssuable(d))
            {
                results.Add(new PiiEntity(PiiTypes.UsSsn, i, end - i, 0.85));
                i = end - 1;
            }
        }
    }

    private static bool HasContext(string text, int start) => TextScan.HasContextBefore(text, start, 40, s_context);

    private static bool AllDigits(string text, int start, int count)
    {
        for (int k = start; k < start + count; k++)
        {
            if (!TextScan.IsAsciiDigit(text[k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The SSA's rules for numbers it can have issued.</summary>
    internal static bool IsIssuable(ReadOnlySpan<char> d)
    {
        ReadOnlySpan<char> area = d[..3];
        if (area is "000" or "666" || area[0] == '9' || d.Slice(3, 2) is "00" || d[5..] is "0000" || d is "123456789")
        {
            return false;
        }

        // One digit repeated nine times is a placeholder, not a number.
        return d.IndexOfAnyExcept(d[0]) >= 0;
    }
}
