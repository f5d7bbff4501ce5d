using System.Globalization;
using System.Net.Http.Headers;

namespace Switchyard.Providers;

/// <summary>
/// The rate limit an upstream says it has left: OpenAI's <c>x-ratelimit-remaining-requests</c> /
/// <c>-tokens</c> with their <c>-limit-</c> and <c>-reset-</c> headers, or Anthropic's
/// <c>anthropic-ratelimit-requests-remaining</c> family. <see cref="Fraction"/> is the scarcer of the two.
/// </summary>
internal readonly record struct RateLimitHeadroom(double? Fraction, TimeSpan? ResetIn)
{
    public static RateLimitHeadroom Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var nv = headers.NonValidated;
        double? fraction = null;
        TimeSpan? reset = null;
        foreach (var (remaining, limit, resetName) in s_families)
        {
            if (Number(nv, remaining) is { } left && Number(nv, limit) is { } total && total > 0)
            {
                var share = Math.Clamp(left / total, 0, 1);
                if (fraction is null || share < fraction)
                {
                    fraction = share;
                    reset = Reset(nv, resetName, now);
                }
            }
        }

        return new RateLimitHeadroom(fraction, reset);
    }

    private static readonly (string Remaining, string Limit, string Reset)[] s_families =
    [
        ("x-ratelimit-remaining-requests", "x-ratelimit-limit-requests", "x-ratelimit-reset-requests"),
        ("x-ratelimit-remaining-tokens", "x-ratelimit-limit-tokens", "x-ratelimit-reset-tokens"),
        ("anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-limit", "anthropic-ratelimit-requests-reset"),
        ("anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-limit", "anthropic-ratelimit-tokens-reset"),
    ];

    private static double? Number(HttpHeadersNonValidated headers, string name) =>
        headers.TryGetValues(name, out var values) && values.Count > 0
        && double.TryParse(values.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : null;

    /// <summary>OpenAI writes durations (<c>6m0s</c>, <c>1.5s</c>, <c>20ms</c>); Anthropic an RFC 3339 time.</summary>
    internal static TimeSpan? Reset(HttpHeadersNonValidated headers, string name, DateTimeOffset now)
    {
        if (!headers.TryGetValues(name, out var values) || values.Count == 0)
        {
            return null;
        }

        var text = values.ToString().Trim();
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && text.Contains('T', StringComparison.Ordinal))
        {
            return at > now ? at - now : TimeSpan.Zero;
        }

        return ParseGoDuration(text);
    }

    /// <summary><c>1h2m3.5s</c>, <c>250ms</c>: a sequence of number-unit pairs; null when it is not one.</summary>
    internal static TimeSpan? ParseGoDuration(string text)
    {
        double total = 0;
        var i = 0;
        var any = false;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            double? scale = text.AsSpan(unitStart, i - unitStart) switch
            {
                "h" => 3600,
                "m" => 60,
                "s" => 1,
                "ms" => 0.001,
                _ => null,
            };
            if (scale is null)
            {
                return null;
            }

            total += number * scale.Value;
            any = true;
        }

        return any && total < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(total) : null;
    }
}
