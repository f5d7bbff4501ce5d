using System.Text.RegularExpressions;

namespace Switchyard.Tracing;

/// <summary>
/// Replaces sensitive text in captured content before it is stored. Runs on the record writer's
/// thread, never on the request path.
/// </summary>
internal sealed class ContentRedactor
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Named patterns operators can list instead of writing expressions.</summary>
    private static readonly Dictionary<string, string> s_builtIn = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = @"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
        ["credit_card"] = @"\b(?:\d[ -]?){13,19}\b",
        ["api_key"] = @"\b(?:sk|pk|rk|sy)-[A-Za-z0-9_-]{16,}\b|\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*",
        ["phone"] = @"(?<!\w)\+?\d[\d ().-]{7,}\d(?!\w)",
        ["ipv4"] = @"\b(?:\d{1,3}\.){3}\d{1,3}\b",
    };

    private readonly Regex[] _patterns;

    public ContentRedactor(IEnumerable<string> patterns)
    {
        _patterns = patterns.Select(Compile).ToArray();
    }

    public bool IsEmpty => _patterns.Length == 0;

    public string Redact(string content)
    {
        foreach (var pattern in _patterns)
        {
            try
            {
                content = pattern.Replace(content, "[REDACTED]");
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological input must not stall the writer, nor leak: drop the content.
                return "[REDACTED: redaction timed out]";
            }
        }

        return content;
    }

    /// <summary>Null when the pattern is usable, else why not (for configuration errors).</summary>
    public static string? Validate(string pattern)
    {
        try
        {
            Compile(pattern);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"not a known pattern name ({string.Join(", ", s_builtIn.Keys)}) nor a valid regular expression: {ex.Message}";
        }
    }

    private static Regex Compile(string pattern) =>
        new(s_builtIn.TryGetValue(pattern, out var builtIn) ? builtIn : pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, s_timeout);
}
