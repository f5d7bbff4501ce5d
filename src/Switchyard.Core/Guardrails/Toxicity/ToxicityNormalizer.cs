using System.Globalization;
using System.Text;

namespace Switchyard.Guardrails.Toxicity;

/// <summary>
/// Turns text into the words a lexicon is matched against, undoing common disguises: compatibility
/// forms and accents (NFKD, marks dropped: "Ｆück" is "fuck"), a few Cyrillic and Greek look-alikes,
/// invisible characters (zero-width, soft hyphen, bidi controls) that split a word, and leetspeak
/// (0→o 1→i 3→e 4→a 5→s 7→t @→a $→s) in words that are not plain numbers. Each word keeps its span in
/// the original text. Never throws: lone surrogates and unassigned code points are separators.
/// </summary>
internal static class ToxicityNormalizer
{
    private static readonly Dictionary<char, char> s_lookalikes = new()
    {
        ['а'] = 'a', ['е'] = 'e', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i',
        ['к'] = 'k', ['м'] = 'm', ['т'] = 't', ['н'] = 'h', ['в'] = 'b', ['ѕ'] = 's', ['ј'] = 'j',
        ['α'] = 'a', ['ο'] = 'o', ['ε'] = 'e', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['τ'] = 't', ['υ'] = 'u',
    };

    /// <summary>The words of <paramref name="text"/> up to <paramref name="limit"/> characters.</summary>
    public static List<ToxicityToken> Tokens(string text, int limit)
    {
        var tokens = new List<ToxicityToken>();
        var word = new StringBuilder();
        var start = -1;
        var end = 0;
        var hasLetter = false;
        var max = Math.Min(text.Length, limit);
        Span<char> one = stackalloc char[2];
        for (var i = 0; i < max; i++)
        {
            var c = text[i];
            if (IsInvisible(c))
            {
                continue;
            }
            var width = 1;
            string? piece = null;
            char mapped = '\0';
            if (c < 128)
            {
                mapped = char.ToLowerInvariant(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < max && char.IsLowSurrogate(text[i + 1]))
            {
                width = 2;
                piece = Fold(text.Substring(i, 2));
            }
            else if (char.IsSurrogate(c))
            {
                mapped = ' ';
            }
            else if (s_lookalikes.TryGetValue(char.ToLowerInvariant(c), out var plain))
            {
                mapped = plain;
            }
            else
            {
                one[0] = c;
                piece = Fold(one[..1].ToString());
            }

            var startsAt = i;
            i += width - 1;
            if (piece is null)
            {
                Append(mapped, startsAt, i + 1);
            }
            else
            {
                foreach (var p in piece)
                {
                    Append(p, startsAt, i + 1);
                }
                if (piece.Length == 0)
                {
                    Flush();
                }
            }
        }
        Flush();
        return tokens;

        void Append(char p, int from, int to)
        {
            var letter = char.IsLetter(p);
            if (letter || char.IsDigit(p) || p is '@' or '$')
            {
                if (start < 0)
                {
                    start = from;
                    hasLetter = false;
                }
                word.Append(p);
                hasLetter |= letter || p is '@' or '$';
                end = to;
            }
            else
            {
                Flush();
            }
        }

        void Flush()
        {
            if (start >= 0 && hasLetter)
            {
                tokens.Add(new(Leet(word), start, end));
            }
            word.Clear();
            start = -1;
        }
    }

    /// <summary>Runs of a repeated letter collapsed to one ("fuuuck" → "fuck").</summary>
    public static string Collapse(string word)
    {
        var collapsed = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (collapsed.Length == 0 || collapsed[^1] != c)
            {
                collapsed.Append(c);
            }
        }
        return collapsed.ToString();
    }

    // Format characters (zero-width space and joiners, bidi overrides, soft hyphen) are dropped
    // without ending the word: they are how a word is hidden from a plain match.
    // Combining marks go too ("fu\u0301ck"), since accents are not how these words are told apart.
    private static bool IsInvisible(char c) =>
        c > 127 && (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            || c is '\u034F' or '\u115F' or '\u1160' or '\u3164');

    // The build runs with invariant globalization, where Normalize leaves most text as it is; the
    // disguises that matter are folded here by table: full-width forms, accented Latin letters and
    // the mathematical alphanumeric letters (U+1D400–U+1D6A3, styles of 52 letters each).
    private const string Latin1From = "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżžß";
    private const string Latin1To = "aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzzs";

    private static string FoldByTable(string piece)
    {
        if (piece.Length == 2 && char.IsSurrogatePair(piece[0], piece[1]))
        {
            var cp = char.ConvertToUtf32(piece[0], piece[1]);
            if (cp is >= 0x1D400 and <= 0x1D6A3)
            {
                var index = (cp - 0x1D400) % 52;
                return ((char)('a' + index % 26)).ToString();
            }
            return piece;
        }
        var folded = new StringBuilder(piece.Length);
        foreach (var c in piece)
        {
            var lower = char.ToLowerInvariant(c);
            if (lower is >= '\uFF01' and <= '\uFF5E')
            {
                lower = char.ToLowerInvariant((char)(lower - 0xFEE0));
            }
            var at = Latin1From.IndexOf(lower, StringComparison.Ordinal);
            folded.Append(at >= 0 ? Latin1To[at] : lower);
        }
        return folded.ToString();
    }

    private static string Fold(string piece)
    {
        string decomposed;
        try
        {
            decomposed = piece.Normalize(NormalizationForm.FormKD);
        }
        catch (ArgumentException)
        {
            return "";
        }
        decomposed = FoldByTable(decomposed);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var d in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(d) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                continue;
            }
            var lower = char.ToLowerInvariant(d);
            folded.Append(s_lookalikes.TryGetValue(lower, out var plain) ? plain : lower);
        }
        return folded.ToString();
    }

    private static string Leet(StringBuilder word)
    {
        for (var i = 0; i < word.Length; i++)
        {
            word[i] = word[i] switch
            {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' => 'a',
                '5' => 's',
                '7' => 't',
                '@' => 'a',
                '$' => 's',
                var other => other,
            };
        }
        return word.ToString();
    }
}
