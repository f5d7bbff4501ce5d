using System.Text.RegularExpressions;

namespace Switchyard.Guardrails.Validation;

/// <summary>
/// The regexes of allow and deny lists: compiled once at start, without backtracking, so a pattern a user
/// wrote cannot make a hostile text take exponential time; a match timeout bounds the rest.
/// </summary>
internal static class GuardRegex
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The regex, or null with why it cannot run (a syntax error, or a construct the non-backtracking engine refuses: backreferences, lookarounds).</summary>
    public static Regex? TryCreate(string pattern, out string? problem)
    {
        problem = null;
        try
        {
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, Timeout);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            problem = ex.Message;
            return null;
        }
    }
}
