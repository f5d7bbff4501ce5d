using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchyard.Guardrails.External;

/// <summary>
/// Reads a score out of a judge's chat completion: the JSON object it was asked for, or, from models that
/// ignore the format, a lone number or a yes/no. Anything else is the judge failing (<c>on_error</c>).
/// </summary>
internal static partial class JudgeAnswer
{
    public static double Score(int status, byte[] body)
    {
        if (status != 200)
        {
            throw new JudgeFailedException($"the judge call answered {status}: {ErrorMessage(body)}");
        }

        string? content;
        try
        {
            using var document = JsonDocument.Parse(body);
            content = document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new JudgeFailedException("the judge's answer is not a chat completion with a message");
        }

        return FromText(content ?? "") ?? throw new JudgeFailedException("the judge's answer has no score (it was asked for {\"score\": 0..1})");
    }

    /// <summary>The score in a judge's text, clamped to 0–1; null when there is none.</summary>
    public static double? FromText(string text)
    {
        var start = text.IndexOf('{');
        var end = text.LastIndexOf('}');
        if (start >= 0 && end > start)
        {
            try
            {
                using var document = JsonDocument.Parse(text.AsMemory(start, end - start + 1));
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("score", out var score))
                {
                    if (score.ValueKind == JsonValueKind.Number)
                    {
                        return Math.Clamp(score.GetDouble(), 0, 1);
                    }

                    if (score.ValueKind == JsonValueKind.String && double.TryParse(score.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                    {
                        return Math.Clamp(parsed, 0, 1);
                    }
                }
            }
            catch (JsonException)
            {
                // Not the object asked for; the plainer forms below may still be there.
            }
        }

        var trimmed = text.Trim().TrimEnd('.').Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return Math.Clamp(number, 0, 1);
        }

        return YesNo().Match(trimmed) is { Success: true } word
            ? word.Groups[1].Value.ToLowerInvariant() is "yes" or "unsafe" or "true" ? 1 : 0
            : null;
    }

    private static string ErrorMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty("error").GetProperty("message").GetString() ?? "(no message)";
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "(no error message)";
        }
    }

    [GeneratedRegex(@"^(yes|no|safe|unsafe|true|false)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YesNo();
}
