using System.Collections.Frozen;

namespace Switchyard.Guardrails.Pii;

/// <summary>
/// International bank account numbers: a country code from the IBAN registry, two check digits and the
/// country's basic bank account number, written compact or in groups of four split by single spaces. The
/// length must be the country's exact length and the ISO 7064 mod-97 check must give 1; anything else (a
/// bad check, a wrong length, slashes as separators) is not reported.
/// </summary>
internal sealed class IbanRecognizer : IPiiRecognizer
{
    // Lengths from the SWIFT IBAN registry (release 99) plus the countries that use IBANs outside it.
    private static readonly FrozenDictionary<string, int> s_lengths = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22,
        ["BH"] = 22, ["BI"] = 27, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24,
        ["DE"] = 22, ["DJ"] = 27, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18,
        ["FK"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27,
        ["GT"] = 28, ["HN"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26,
        ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20,
        ["LU"] = 20, ["LV"] = 21, ["LY"] = 25, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MN"] = 20,
        ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18, ["NO"] = 15, ["OM"] = 23, ["PK"] = 24,
        ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33, ["SA"] = 24,
        ["SC"] = 31, ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25,
        ["SV"] = 28, ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
        ["YE"] = 30,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> s_lookup =
        s_lengths.GetAlternateLookup<ReadOnlySpan<char>>();

    private const int MaxLength = 34;

    public IReadOnlyList<string> Types { get; } = [PiiTypes.IbanCode];

    public void Find(string text, List<PiiEntity> results)
    {
        Span<char> compact = stackalloc char[MaxLength];
        Span<char> country = stackalloc char[2];
        for (int i = 0; i + 4 <= text.Length; i++)
        {
            if (!char.IsAsciiLetter(text[i]) || !char.IsAsciiLetter(text[i + 1]) || (i > 0 && char.IsLetterOrDigit(text[i - 1]))
                || !TextScan.IsAsciiDigit(text[i + 2]) || !TextScan.IsAsciiDigit(text[i + 3]))
            {
                continue;
            }

            country[0] = char.ToUpperInvariant(text[i]);
            country[1] = char.ToUpperInvariant(text[i + 1]);
            if (!s_lookup.TryGetValue(country, out int length))
            {
                continue;
            }

            int end = Collect(text, i, length, compact);
            if (end > 0 && PassesMod97(compact[..length]))
            {
                results.Add(new PiiEntity(PiiTypes.IbanCode, i, end - i, 0.95));
                i = end - 1;
            }
        }
    }

    /// <summary>
    /// Reads <paramref name="length"/> alphanumerics from <paramref name="start"/> into
    /// <paramref name="compact"/>, compact or as space-separated groups of four; returns the end index, or
    /// -1 when the characters there do not make an IBAN of exactly that length.
    /// </summary>
    private static int Collect(string text, int start, int length, Span<char> compact)
    {
        bool grouped = TextScan.IsCharAt(text, start + 4, ' ');
        int count = 0;
        int pos = start;
        while (count < length)
        {
            int groupLength = 0;
            while (pos < text.Length && char.IsAsciiLetterOrDigit(text[pos]) && count < length && (!grouped || groupLength < 4))
            {
                compact[count++] = char.ToUpperInvariant(text[pos++]);
                groupLength++;
            }

            if (count == length)
            {
                break;
            }

            if (!grouped || groupLength != 4 || !TextScan.IsCharAt(text, pos, ' ') || !char.IsAsciiLetterOrDigit(pos + 1 < text.Length ? text[pos + 1] : ' '))
            {
                return -1;
            }

            pos++;
        }

        return TextScan.IsWordCharAt(text, pos) ? -1 : pos;
    }

    /// <summary>ISO 7064 mod 97-10 over the IBAN with its first four characters moved to the end.</summary>
    internal static bool PassesMod97(ReadOnlySpan<char> iban)
    {
        int remainder = 0;
        for (int k = 0; k < iban.Length; k++)
        {
            char c = iban[(k + 4) % iban.Length];
            if (TextScan.IsAsciiDigit(c))
            {
                remainder = (remainder * 10 + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        // The check digits are digits; letters there would pass the arithmetic but are not an IBAN.
        return remainder == 1 && TextScan.IsAsciiDigit(iban[2]) && TextScan.IsAsciiDigit(iban[3]);
    }
}
