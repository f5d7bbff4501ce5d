namespace Switchyard.Guardrails.Pii;

/// <summary>
/// Payment card numbers: 12 to 19 digits, bare or in groups split by one space or one dash (the same
/// separator throughout), with a known issuer prefix and length and a valid Luhn check digit. A number
/// failing Luhn is not reported, whatever its context. Runs of groups are tried from each group for the
/// longest valid card, so three cards written one after another are three entities.
/// </summary>
internal sealed class CreditCardRecognizer : IPiiRecognizer
{
    private const int MaxDigits = 19;
    private const int MaxGroups = 8;

    public IReadOnlyList<string> Types { get; } = [PiiTypes.CreditCard];

    public void Find(string text, List<PiiEntity> results)
    {
        Span<int> groupStart = stackalloc int[MaxGroups];
        Span<int> groupEnd = stackalloc int[MaxGroups];
        Span<char> digits = stackalloc char[MaxDigits];
        int i = 0;
        while (i < text.Length)
        {
            if (!TextScan.IsAsciiDigit(text[i]) || (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] is '.' or ',')))
            {
                i++;
                continue;
            }

            // Read up to MaxGroups digit groups joined by a single separator; stop at anything else.
            int groups = 0;
            int pos = i;
            char separator = '\0';
            while (groups < MaxGroups)
            {
                int s = pos;
                while (pos < text.Length && TextScan.IsAsciiDigit(text[pos]))
                {
                    pos++;
                }

                groupStart[groups] = s;
                groupEnd[groups] = pos;
                groups++;
                if (pos + 1 < text.Length && text[pos] is ' ' or '-' && TextScan.IsAsciiDigit(text[pos + 1])
                    && (separator == '\0' || separator == text[pos]))
                {
                    separator = text[pos];
                    pos++;
                    continue;
                }

                break;
            }

            int runEnd = groupEnd[groups - 1];
            // Without a card in the run, the next group starts a new run: it may use another separator.
            int resume = groupEnd[0];
            if (TextScan.IsWordCharAt(text, runEnd) || (TextScan.IsCharAt(text, runEnd, '.') && TextScan.IsDigitAt(text, runEnd + 1)))
            {
                // Glued to letters or a decimal part: an identifier or a number, not a card.
                i = SkipToken(text, runEnd);
                continue;
            }

            int g = 0;
            while (g < groups)
            {
                int bestEnd = -1;
                int count = 0;
                for (int h = g; h < groups; h++)
                {
                    int len = groupEnd[h] - groupStart[h];
                    if (count + len > MaxDigits)
                    {
                        break;
                    }

                    // Printed cards group digits in fours (Amex 4-6-5, 19 digits 4-4-4-4-3); runs of one- or
                    // two-digit groups are hex dumps, dates or tables.
                    int firstLength = groupEnd[g] - groupStart[g];
                    if (h > g && (len is < 3 or > 6 || firstLength is < 3 or > 6))
                    {
                        break;
                    }

                    text.AsSpan(groupStart[h], len).CopyTo(digits[count..]);
                    count += len;
                    if (IsCard(digits[..count]))
                    {
                        bestEnd = h;
                    }
                }

                if (bestEnd >= 0 && !AfterCodeToken(text, groupStart[g]))
                {
                    results.Add(new PiiEntity(PiiTypes.CreditCard, groupStart[g], groupEnd[bestEnd] - groupStart[g], 0.9));
                    resume = groupEnd[bestEnd];
                    g = bestEnd + 1;
                }
                else
                {
                    g++;
                }
            }

            i = Math.Max(resume, i + 1);
        }
    }

    /// <summary>
    /// True when the digits at <paramref name="start"/> follow a token of letters and digits and one separator
    /// ("RS35 2600 ..."): they continue an account number or code, and a Luhn pass there is chance.
    /// </summary>
    private static bool AfterCodeToken(string text, int start)
    {
        if (start < 3 || text[start - 1] is not (' ' or '-') || !char.IsAsciiLetterOrDigit(text[start - 2]))
        {
            return false;
        }

        bool letter = false;
        bool digit = false;
        for (int k = start - 2; k >= 0 && start - k <= 12 && char.IsAsciiLetterOrDigit(text[k]); k--)
        {
            letter |= char.IsAsciiLetter(text[k]);
            digit |= TextScan.IsAsciiDigit(text[k]);
        }

        return letter && digit;
    }

    private static int SkipToken(string text, int from)
    {
        while (from < text.Length && (char.IsLetterOrDigit(text[from]) || text[from] is '.' or '-' or '_'))
        {
            from++;
        }

        return from;
    }

    /// <summary>True for a digit string with a known issuer prefix and length and a valid Luhn digit.</summary>
    internal static bool IsCard(ReadOnlySpan<char> d) => HasIssuerPrefix(d) && PassesLuhn(d);

    internal static bool PassesLuhn(ReadOnlySpan<char> d)
    {
        int sum = 0;
        bool twice = false;
        for (int k = d.Length - 1; k >= 0; k--)
        {
            int v = d[k] - '0';
            if (twice)
            {
                v *= 2;
                if (v > 9)
                {
                    v -= 9;
                }
            }

            sum += v;
            twice = !twice;
        }

        return sum % 10 == 0;
    }

    private static int Prefix(ReadOnlySpan<char> d, int n)
    {
        int v = 0;
        for (int k = 0; k < n && k < d.Length; k++)
        {
            v = v * 10 + (d[k] - '0');
        }

        return v;
    }

    private static bool HasIssuerPrefix(ReadOnlySpan<char> d)
    {
        int n = d.Length;
        if (n is < 12 or > 19)
        {
            return false;
        }

        int p1 = Prefix(d, 1);
        int p2 = Prefix(d, 2);
        int p3 = Prefix(d, 3);
        int p4 = Prefix(d, 4);
        int p6 = Prefix(d, 6);
        return p1 switch
        {
            4 => n is 13 or 16 or 19, // Visa
            // Mastercard 51-55; Maestro and domestic debit (Dankort 5019) on the other 5x prefixes.
            5 => (p2 is >= 51 and <= 55 && n == 16) || (p2 is 50 or >= 56 and <= 58 && n >= 12),
            // Mastercard's 2-series.
            // Mastercard's 2-series, and JCB's older 15-digit 2131 range.
            2 => (p4 is >= 2221 and <= 2720 && n == 16) || (p4 == 2131 && n == 15),
            3 => (p2 is 34 or 37 && n == 15) // American Express
                || (((p3 is >= 300 and <= 305) || p2 is 36 or 38 or 39 || p4 == 3095) && n is >= 14 and <= 19) // Diners
                // JCB: 3528-3589 today; generators and older cards use the whole 35 block.
                || (p2 == 35 && n is >= 16 and <= 19),
            6 => (p4 == 6011 || p3 is >= 644 and <= 649 || p2 == 65 || (p6 is >= 622126 and <= 622925)) && n is >= 16 and <= 19 // Discover
                || (p2 == 62 && n is >= 16 and <= 19) // UnionPay
                || (p2 is >= 60 and <= 69 && n >= 12), // Maestro, Laser and other debit on 6x
            1 => n == 15, // UATP (airline cards) and JCB's older 1800 range
            _ => false,
        };
    }
}
