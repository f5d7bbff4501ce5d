using PhoneNumbers;

namespace Switchyard.Guardrails.Pii;

/// <summary>
/// Phone numbers. A hand scanner picks candidate runs of 7 to 15 digits joined by spaces, dashes, dots,
/// slashes and brackets (an optional leading '+', an optional "x123" extension); each candidate goes to
/// libphonenumber's <see cref="PhoneNumberUtil.FindNumbers(string, string, PhoneNumberUtil.Leniency, long)"/>
/// with the default region "US" and leniency VALID, which also reads international "+CC" forms. A candidate
/// libphonenumber does not accept is still reported, at a lower score, when a phone word ("phone", "call",
/// "mobile", "fax", ...) comes just before it or a line label ("office", "fax") just after it, because
/// people write local numbers of every country and no single region validates them all. Dates, dotted
/// quads and numbers next to card or account words are not candidates.
/// </summary>
/// <remarks>
/// libphonenumber is the slow part, so it only sees candidate runs (at most 40 characters each), and at most
/// <see cref="MaxLibraryCalls"/> of them per text; later candidates are judged by context alone. The work per
/// text is therefore linear in its length with a bounded constant.
/// </remarks>
internal sealed class PhoneNumberRecognizer : IPiiRecognizer
{
    internal const int MaxLibraryCalls = 256;
    private const int MaxCandidate = 40;

    private static readonly string[] s_contextBefore =
    [
        "phone", "tel", "call", "mobile", "cell", "fax", "desk", "number", "contact", "reach", "text me", "sms",
        "whatsapp", "messages to", "answering", "registered", "dial", "landline",
        "telefon", "teléfono", "numéro",
    ];

    private static readonly string[] s_contextAfter = ["office", "fax", "mobile", "desk", "home", "work", "cell", "phone"];

    private static readonly string[] s_notPhone =
    [
        "card", "account", "acct", "iban", "ssn", "social security", "order", "invoice", "zip", "postal", "passport",
        "licen", "routing", "isbn", "serial", "tracking", "version",
    ];

    private static readonly Lazy<PhoneNumberUtil> s_util = new(PhoneNumberUtil.GetInstance);

    public IReadOnlyList<string> Types { get; } = [PiiTypes.PhoneNumber];

    public void Find(string text, List<PiiEntity> results)
    {
        int libraryCalls = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            bool opener = TextScan.IsAsciiDigit(c) || (c is '+' or '(' && TextScan.IsDigitAt(text, i + 1));
            // A digit right after a letter, digit or joiner continues a word or a number; a comma or full stop
            // only does so after a digit ("1,234"), so "Office,0770..." still starts a candidate.
            char before = i > 0 ? text[i - 1] : ' ';
            bool continues = char.IsLetterOrDigit(before) || before is '-' or '/' or '+' or '_'
                || (before is '.' or ',' && TextScan.IsDigitAt(text, i - 2));
            if (!opener || continues)
            {
                i++;
                continue;
            }

            int end = Scan(text, i, out int digits, out int groups);
            if (digits is >= 7 and <= 15 && end - i <= MaxCandidate && !IsDateOrQuad(text.AsSpan(i, end - i), groups)
                && !StartsWithDate(text.AsSpan(i, end - i)) && !TextScan.IsWordCharAt(text, end)
                && !(TextScan.IsCharAt(text, end, ':') && TextScan.IsDigitAt(text, end + 1)))
            {
                Judge(text, i, end, digits, ref libraryCalls, results);
            }

            i = Math.Max(end, i + 1);
        }
    }

    /// <summary>Reads a candidate from <paramref name="start"/>; returns its end after trimming separators.</summary>
    private static int Scan(string text, int start, out int digits, out int groups)
    {
        digits = 0;
        groups = 0;
        int pos = start;
        int lastDigit = start;
        int separators = 0;
        int open = 0;
        if (text[pos] == '+')
        {
            pos++;
        }

        while (pos < text.Length && pos - start < MaxCandidate + 8)
        {
            char c = text[pos];
            if (TextScan.IsAsciiDigit(c))
            {
                if (separators > 0 || groups == 0)
                {
                    groups++;
                }

                digits++;
                separators = 0;
                pos++;
                lastDigit = pos;
                if (digits > 17)
                {
                    break;
                }

                continue;
            }

            bool separator = c is ' ' or '-' or '.' or '/' || c == '(' || (c == ')' && open > 0);
            if (!separator || separators >= 2 || (c == ' ' && pos > 0 && text[pos - 1] == ' '))
            {
                break;
            }

            open += c == '(' ? 1 : c == ')' ? -1 : 0;
            separators++;
            pos++;
        }

        int end = lastDigit;
        if (end < text.Length && text[end] == ')' && open > 0)
        {
            end++;
        }

        // An extension ("x135", "ext. 12") belongs to the number.
        int ext = end;
        if (ext < text.Length && text[ext] is 'x' or 'X' && TextScan.IsDigitAt(text, ext + 1))
        {
            ext++;
        }
        else if (text.AsSpan(ext).StartsWith(" ext", StringComparison.OrdinalIgnoreCase))
        {
            ext += 4;
            while (ext < text.Length && text[ext] is '.' or ' ' or ':')
            {
                ext++;
            }
        }

        if (ext > end && TextScan.IsDigitAt(text, ext))
        {
            int e = ext;
            while (e < text.Length && TextScan.IsAsciiDigit(text[e]) && e - ext < 6)
            {
                e++;
            }

            end = e;
        }

        return end;
    }

    /// <summary>True for a run opening with yyyy-mm-dd or dd/mm/yyyy (a date, perhaps with a time after it).</summary>
    private static bool StartsWithDate(ReadOnlySpan<char> c)
    {
        static bool Digits(ReadOnlySpan<char> s, int from, int count)
        {
            return from + count <= s.Length && s.Slice(from, count).IndexOfAnyExceptInRange('0', '9') < 0;
        }

        bool isoDate = Digits(c, 0, 4) && c.Length >= 10 && c[4] is '-' or '/' && c[7] == c[4] && Digits(c, 5, 2) && Digits(c, 8, 2);
        bool dayFirst = Digits(c, 0, 2) && c.Length >= 10 && c[2] is '-' or '/' && c[5] == c[2] && Digits(c, 3, 2) && Digits(c, 6, 4);
        return isoDate || dayFirst;
    }

    private static bool IsDateOrQuad(ReadOnlySpan<char> candidate, int groups)
    {
        if (candidate.IndexOfAny(' ', '(') >= 0 || groups is < 3 or > 4)
        {
            return false;
        }

        Span<int> lengths = stackalloc int[4];
        int g = 0;
        int run = 0;
        char separator = '\0';
        foreach (char c in candidate)
        {
            if (TextScan.IsAsciiDigit(c))
            {
                run++;
                continue;
            }

            // Dates and dotted quads have one separator, the same one, between single groups ("1--2" is neither).
            if ((separator != '\0' && c != separator) || run == 0 || g == lengths.Length - 1)
            {
                return false;
            }

            separator = c;
            lengths[g++] = run;
            run = 0;
        }

        lengths[g] = run;
        if (groups == 4)
        {
            // A dotted quad of short groups is an IP-address look-alike or a version, not a phone number.
            return separator == '.' && lengths[0] <= 3 && lengths[1] <= 3 && lengths[2] <= 3 && lengths[3] <= 3;
        }

        bool yearFirst = lengths[0] == 4 && lengths[1] <= 2 && lengths[2] <= 2;
        bool yearLast = lengths[0] <= 2 && lengths[1] <= 2 && lengths[2] is 4 or 2;
        return separator is '-' or '/' or '.' && (yearFirst || yearLast);
    }

    private void Judge(string text, int start, int end, int digits, ref int libraryCalls, List<PiiEntity> results)
    {
        if (TextScan.HasContextBefore(text, start, 28, s_notPhone))
        {
            return;
        }

        if (libraryCalls < MaxLibraryCalls)
        {
            libraryCalls++;
            string candidate = text.Substring(start, end - start);
            foreach (PhoneNumberMatch match in s_util.Value.FindNumbers(candidate, "US", PhoneNumberUtil.Leniency.VALID, 16))
            {
                // Keep the candidate's own span when libphonenumber read the whole of it (it drops extensions
                // and brackets it does not need); otherwise report the part it found.
                if (match.RawString.Length * 10 >= candidate.Length * 7)
                {
                    results.Add(new PiiEntity(PiiTypes.PhoneNumber, start, end - start, 0.75));
                }
                else
                {
                    results.Add(new PiiEntity(PiiTypes.PhoneNumber, start + match.Start, match.RawString.Length, 0.7));
                }

                return;
            }
        }

        bool international = text[start] == '+' || text.AsSpan(start).StartsWith("00", StringComparison.Ordinal);
        bool plausible = international ? digits >= 8 : digits <= 12;
        if (plausible && (TextScan.HasContextBefore(text, start, 30, s_contextBefore) || TextScan.HasContextAfter(text, end, 12, s_contextAfter)))
        {
            results.Add(new PiiEntity(PiiTypes.PhoneNumber, start, end - start, 0.6));
        }
    }
}
