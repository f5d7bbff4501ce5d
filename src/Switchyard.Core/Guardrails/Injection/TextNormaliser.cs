using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchyard.Guardrails.Injection;

/// <summary>
/// Turns a text into the few views the injection heuristics read, undoing the cheap obfuscations
/// attackers use to get past keyword filters: homoglyphs, fullwidth and mathematical letters,
/// zero-width and bidi controls, leetspeak, rot13, and base64, hex, binary or Morse payloads.
/// </summary>
/// <remarks>
/// The gateway runs with <c>InvariantGlobalization</c>, where <see cref="string.Normalize(NormalizationForm)"/>
/// leaves non-ASCII text unchanged, so the compatibility folding NFKC would do for these attacks
/// (fullwidth, mathematical alphanumerics, circled letters, ligatures, accents) is done here by
/// table. Bounds, so a 1 MB body costs the same as a 40 KB one: only the first
/// <see cref="HeadChars"/> and last <see cref="TailChars"/> characters are read (injections sit at
/// the start of a turn or at the end of a document), at most <see cref="MaxDecodedPayloads"/>
/// payloads are decoded, each from at most <see cref="MaxPayloadChars"/> characters. Malformed
/// UTF-16 (lone surrogates) is skipped, never thrown on.
/// </remarks>
internal static partial class TextNormaliser
{
    /// <summary>Characters read from the start of the text.</summary>
    public const int HeadChars = 24 * 1024;

    /// <summary>Characters read from the end of a text longer than <see cref="HeadChars"/>.</summary>
    public const int TailChars = 8 * 1024;

    /// <summary>Payloads decoded per text; more is a denial-of-service lever, not more recall.</summary>
    public const int MaxDecodedPayloads = 4;

    /// <summary>Encoded characters decoded per payload.</summary>
    public const int MaxPayloadChars = 8 * 1024;

    private const int MinBase64Chars = 16;

    /// <summary>The views to score, plain first. Never throws on any string.</summary>
    public static IReadOnlyList<NormalisedView> Views(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string window = Window(text);
        string plain = Fold(window);
        var views = new List<NormalisedView>(4) { new("plain", plain) };

        string leet = Leet(plain);
        if (!string.Equals(leet, plain, StringComparison.Ordinal))
        {
            views.Add(new NormalisedView("leet", leet));
        }

        views.Add(new NormalisedView("rot13", Rot13(plain)));
        AddDecoded(window, views);
        return views;
    }

    /// <summary>
    /// The payloads decoded out of the text (base64, hex, binary, Morse), as decoded and before folding, so a caller
    /// can embed them too; empty for ordinary text.
    /// </summary>
    public static IReadOnlyList<string> DecodedPayloads(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var payloads = new List<string>();
        foreach ((string _, string decoded) in Decode(Window(text)))
        {
            payloads.Add(decoded);
        }

        return payloads;
    }

    /// <summary>Counts the invisible and direction-control characters, which ordinary prose has none of.</summary>
    public static int HiddenCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int count = 0;
        int limit = Math.Min(text.Length, HeadChars + TailChars);
        for (int i = 0; i < limit; i++)
        {
            if (IsHidden(text[i]))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Folds to lower-case Latin, drops hidden characters and marks, collapses whitespace.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        Span<char> buffer = stackalloc char[2];
        bool pendingSpace = false;
        int i = 0;
        while (i < text.Length)
        {
            OperationStatus status = Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int consumed);
            i += Math.Max(consumed, 1);
            if (status != OperationStatus.Done)
            {
                continue;
            }

            int value = rune.Value;
            if (value < 0x10000 && IsHidden((char)value))
            {
                continue;
            }

            UnicodeCategory category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune) || category is UnicodeCategory.Control)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            string? folded = FoldRune(value);
            if (folded is not null)
            {
                builder.Append(folded);
            }
            else
            {
                Rune lower = Rune.ToLowerInvariant(rune);
                int written = lower.EncodeToUtf16(buffer);
                builder.Append(buffer[..written]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Undoes common leetspeak digits and symbols (0→o, 1→i, 3→e, 4→a, 5→s, 7→t, @→a, $→s).</summary>
    public static string Leet(string folded)
    {
        ArgumentNullException.ThrowIfNull(folded);
        return string.Create(folded.Length, folded, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                span[i] = source[i] switch
                {
                    '0' => 'o',
                    '1' or '!' or '|' => 'i',
                    '3' => 'e',
                    '4' or '@' => 'a',
                    '5' or '$' => 's',
                    '7' or '+' => 't',
                    '8' => 'b',
                    '9' => 'g',
                    _ => source[i],
                };
            }
        });
    }

    /// <summary>Rot13 of the ASCII letters, which is its own inverse.</summary>
    public static string Rot13(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = c switch
                {
                    >= 'a' and <= 'z' => (char)('a' + ((c - 'a' + 13) % 26)),
                    >= 'A' and <= 'Z' => (char)('A' + ((c - 'A' + 13) % 26)),
                    _ => c,
                };
            }
        });
    }

    private static string Window(string text) =>
        text.Length <= HeadChars + TailChars
            ? text
            : string.Concat(text.AsSpan(0, HeadChars), " ", text.AsSpan(text.Length - TailChars));

    private static void AddDecoded(string window, List<NormalisedView> views)
    {
        foreach ((string kind, string decoded) in Decode(window))
        {
            views.Add(new NormalisedView(kind, Fold(decoded)));
        }
    }

    private static List<(string Kind, string Decoded)> Decode(string window)
    {
        var found = new List<(string Kind, string Decoded)>();
        foreach (ValueMatch match in Base64Run().EnumerateMatches(window))
        {
            if (found.Count >= MaxDecodedPayloads)
            {
                return found;
            }

            string? decoded = TryBase64(window.Substring(match.Index, Math.Min(match.Length, MaxPayloadChars)));
            if (decoded is not null)
            {
                found.Add(("base64", decoded));
            }
        }

        foreach (ValueMatch match in HexRun().EnumerateMatches(window))
        {
            if (found.Count >= MaxDecodedPayloads)
            {
                return found;
            }

            string? decoded = TryHex(window.AsSpan(match.Index, Math.Min(match.Length, MaxPayloadChars)));
            if (decoded is not null)
            {
                found.Add(("hex", decoded));
            }
        }

        foreach (ValueMatch match in BinaryRun().EnumerateMatches(window))
        {
            if (found.Count >= MaxDecodedPayloads)
            {
                return found;
            }

            string? decoded = TryBinary(window.AsSpan(match.Index, Math.Min(match.Length, MaxPayloadChars)));
            if (decoded is not null)
            {
                found.Add(("binary", decoded));
            }
        }

        foreach (ValueMatch match in MorseRun().EnumerateMatches(window))
        {
            if (found.Count >= MaxDecodedPayloads)
            {
                return found;
            }

            string? decoded = TryMorse(window.AsSpan(match.Index, Math.Min(match.Length, MaxPayloadChars)));
            if (decoded is not null)
            {
                found.Add(("morse", decoded));
            }
        }

        return found;
    }

    private static string? TryBinary(ReadOnlySpan<char> run)
    {
        var bytes = new List<byte>(run.Length / 8);
        int value = 0;
        int bits = 0;
        foreach (char c in run)
        {
            if (c is not ('0' or '1'))
            {
                continue;
            }

            value = (value << 1) | (c - '0');
            if (++bits == 8)
            {
                bytes.Add((byte)value);
                (value, bits) = (0, 0);
            }
        }

        return Printable(bytes.ToArray());
    }

    private static string? TryMorse(ReadOnlySpan<char> run)
    {
        var builder = new StringBuilder(run.Length / 3);
        var distinct = new HashSet<char>();
        foreach (Range word in run.Split('/'))
        {
            foreach (Range code in run[word].Split(' '))
            {
                ReadOnlySpan<char> symbol = run[word][code].Trim();
                if (symbol.IsEmpty)
                {
                    continue;
                }

                int index = Array.IndexOf(s_morse, symbol.ToString());
                if (index < 0)
                {
                    return null;
                }

                char letter = index < 26 ? (char)('a' + index) : (char)('0' + index - 26);
                builder.Append(letter);
                distinct.Add(letter);
            }

            builder.Append(' ');
        }

        // Dashes and dots in ordinary text (rules, ellipses, bullets) decode to one or two repeated letters.
        return distinct.Count >= 3 && builder.Length >= 8 ? builder.ToString().Trim() : null;
    }

    private static readonly string[] s_morse =
    [
        ".-", "-...", "-.-.", "-..", ".", "..-.", "--.", "....", "..", ".---", "-.-", ".-..", "--", "-.", "---", ".--.", "--.-", ".-.", "...", "-", "..-", "...-", ".--", "-..-", "-.--", "--..",
        "-----", ".----", "..---", "...--", "....-", ".....", "-....", "--...", "---..", "----.",
    ];

    private static string? TryBase64(string run)
    {
        // A run of hex digits or of one letter case is a hash or an identifier, not base64 text.
        if (run.Length < MinBase64Chars || IsAllHex(run))
        {
            return null;
        }

        string padded = run.TrimEnd('=').Replace('-', '+').Replace('_', '/');
        padded = (padded.Length % 4) switch
        {
            2 => padded + "==",
            3 => padded + "=",
            1 => padded[..^1],
            _ => padded,
        };
        byte[] bytes = ArrayPool<byte>.Shared.Rent(padded.Length);
        try
        {
            if (!Convert.TryFromBase64String(padded, bytes, out int written))
            {
                return null;
            }

            return Printable(bytes.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static string? TryHex(ReadOnlySpan<char> run)
    {
        Span<char> digits = run.Length <= 1024 ? stackalloc char[run.Length] : new char[run.Length];
        int count = 0;
        foreach (char c in run)
        {
            if (char.IsAsciiHexDigit(c))
            {
                digits[count++] = c;
            }
        }

        // Strip a "0x"/"\x" prefix's x: it is not a digit, but the 0 before it may be.
        count &= ~1;
        byte[] bytes = new byte[count / 2];
        if (Convert.FromHexString(digits[..count], bytes, out _, out int written) != OperationStatus.Done)
        {
            return null;
        }

        return Printable(bytes.AsSpan(0, written));
    }

    private static string? Printable(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        int printable = 0;
        int letters = 0;
        foreach (char c in decoded)
        {
            if (!char.IsControl(c) || c is '\n' or '\r' or '\t')
            {
                printable++;
            }

            if (char.IsLetter(c) || c == ' ')
            {
                letters++;
            }
        }

        // Random bytes decode as UTF-8 rarely and as mostly-letters text almost never.
        return printable >= decoded.Length * 0.95 && letters >= decoded.Length * 0.6 ? decoded : null;
    }

    private static bool IsAllHex(string run)
    {
        foreach (char c in run)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHidden(char c) =>
        c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or '\u180E'
            or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C'
            or (>= '\u2061' and <= '\u2064');

    /// <summary>The compatibility and confusable folds; null for a rune that only needs lower-casing.</summary>
    private static string? FoldRune(int value)
    {
        switch (value)
        {
            case >= 0xFF01 and <= 0xFF5E:
                return char.ToLowerInvariant((char)(value - 0xFEE0)).ToString();
            case >= 0x1D400 and <= 0x1D6A3:
            {
                int letter = (value - 0x1D400) % 52;
                return ((char)(letter < 26 ? 'a' + letter : 'a' + letter - 26)).ToString();
            }

            case >= 0x1D7CE and <= 0x1D7FF:
                return ((char)('0' + ((value - 0x1D7CE) % 10))).ToString();
            case >= 0x24B6 and <= 0x24CF:
                return ((char)('a' + value - 0x24B6)).ToString();
            case >= 0x24D0 and <= 0x24E9:
                return ((char)('a' + value - 0x24D0)).ToString();
            case >= 0x1F130 and <= 0x1F149:
                return ((char)('a' + value - 0x1F130)).ToString();
            case >= 0x1F150 and <= 0x1F169:
                return ((char)('a' + value - 0x1F150)).ToString();
            case >= 0x1F170 and <= 0x1F189:
                return ((char)('a' + value - 0x1F170)).ToString();
            case >= 0x1F1E6 and <= 0x1F1FF:
                return ((char)('a' + value - 0x1F1E6)).ToString();
            case 0x3000:
                return " ";
            case 0xFB00:
                return "ff";
            case 0xFB01:
                return "fi";
            case 0xFB02:
                return "fl";
            case 0xFB03:
                return "ffi";
            case 0xFB04:
                return "ffl";
            case 0x00DF:
                return "ss";
            default:
                break;
        }

        if (value < 0x80)
        {
            return null;
        }

        return s_confusables.TryGetValue(value, out char latin) ? latin.ToString() : null;
    }

    private static readonly Dictionary<int, char> s_confusables = BuildConfusables();

    private static Dictionary<int, char> BuildConfusables()
    {
        // Cyrillic and Greek letters that render like Latin ones, the accented Latin-1 and Latin
        // Extended-A letters (what NFKD plus dropping marks would give), and the small capitals.
        var map = new Dictionary<int, char>();
        void Add(string from, string to)
        {
            for (int i = 0; i < from.Length; i++)
            {
                map[from[i]] = to[i];
            }
        }

        Add("АВЕКМНОРСТХУаеорсухіјѕԁɡһӏԛԝ", "abekmhopctxyaeopcyxijsdghlqw");
        Add("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοερτυικνχ", "abezhikmnoptyxaoeptuikvx");
        Add("ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ", "aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooooouuuuuuuuyyy");
        Add("ĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİıĴĵĶķĹĺĻļĽľŁłŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽž",
            "aaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiiijjkkllllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzz");
        Add("ᴀʙᴄᴅᴇғɢʜɪᴊᴋʟᴍɴᴏᴘʀsᴛᴜᴠᴡʏᴢ", "abcdefghijklmnoprstuvwyz");
        return map;
    }

    [GeneratedRegex(@"[A-Za-z0-9+/_-]{16,}={0,2}", RegexOptions.CultureInvariant)]
    private static partial Regex Base64Run();

    [GeneratedRegex(@"(?:(?:0x|\\x)?[0-9A-Fa-f]{2}[ :,]?){8,}", RegexOptions.CultureInvariant)]
    private static partial Regex HexRun();

    // Eight-bit groups, spaced or not: "01010111 01101000 ...".
    [GeneratedRegex(@"(?:[01]{8} ?){6,}", RegexOptions.CultureInvariant)]
    private static partial Regex BinaryRun();

    // Dots and dashes separated by spaces, with "/" between words; the two classes never overlap, so matching stays linear.
    [GeneratedRegex(@"(?:[.-]{1,6}(?: ?/ ?| )){5,}[.-]{1,6}", RegexOptions.CultureInvariant)]
    private static partial Regex MorseRun();
}
