using System.Text;

namespace Switchyard.Guardrails;

/// <summary>
/// The reversible pseudonyms of one call: the upstream sees <c>&lt;PERSON_1&gt;</c>, the client gets the
/// original back. The same value gets the same placeholder throughout the call, so the model can refer to
/// it consistently. Lives on the call only; the originals are never recorded.
/// </summary>
internal sealed class Pseudonyms
{
    private readonly Dictionary<string, string> _byOriginal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byPlaceholder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>The longest placeholder handed out: how much of a stream's tail may be a placeholder still arriving.</summary>
    public int LongestPlaceholder { get; private set; }

    public int Count => _byPlaceholder.Count;

    public string For(string type, string original)
    {
        if (_byOriginal.TryGetValue(original, out var known))
        {
            return known;
        }

        var n = _counts[type] = _counts.GetValueOrDefault(type) + 1;
        var placeholder = $"<{type}_{n}>";
        _byOriginal[original] = placeholder;
        _byPlaceholder[placeholder] = original;
        LongestPlaceholder = Math.Max(LongestPlaceholder, placeholder.Length);
        return placeholder;
    }

    /// <summary>The text with every known placeholder put back to its original.</summary>
    public string Restore(string text)
    {
        if (_byPlaceholder.Count == 0 || !text.Contains('<', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('<', i);
            if (open < 0)
            {
                break;
            }

            var close = text.IndexOf('>', open + 1);
            if (close < 0)
            {
                break;
            }

            result.Append(text, i, open - i);
            var candidate = text.Substring(open, close - open + 1);
            if (_byPlaceholder.TryGetValue(candidate, out var original))
            {
                result.Append(original);
                i = close + 1;
            }
            else
            {
                result.Append('<');
                i = open + 1;
            }
        }

        result.Append(text, i, text.Length - i);
        return result.ToString();
    }

    /// <summary>
    /// Where a stream's text may be cut safely: before a trailing <c>&lt;</c> that could still grow into a
    /// placeholder. Text after the cut is held until the next piece arrives.
    /// </summary>
    public int SafeCut(string text)
    {
        var open = text.LastIndexOf('<');
        if (open < 0 || text.IndexOf('>', open) >= 0 || text.Length - open >= LongestPlaceholder)
        {
            return text.Length;
        }

        return open;
    }
}
