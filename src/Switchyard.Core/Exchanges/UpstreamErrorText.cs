using System.Text;
using System.Text.Json;

namespace Switchyard.Exchanges;

/// <summary>A readable message from an upstream error body of any shape (JSON error object, text, HTML).</summary>
internal static class UpstreamErrorText
{
    private const int MaxLength = 500;

    public static string Describe(int status, ReadOnlySpan<byte> body)
    {
        var text = TryJsonMessage(body) ?? Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxLength * 2)]).Trim();
        if (text.Length > MaxLength)
        {
            text = text[..MaxLength] + "…";
        }

        return text.Length == 0 ? $"The upstream answered {status} with no body." : $"Upstream error {status}: {text}";
    }

    private static string? TryJsonMessage(ReadOnlySpan<byte> body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString();
                }

                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    return m.GetString();
                }
            }

            if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString();
            }

            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                return detail.GetString();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
