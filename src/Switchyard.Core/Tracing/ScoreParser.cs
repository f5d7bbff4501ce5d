using System.Text.Json;

namespace Switchyard.Tracing;

/// <summary>Scores and feedback as the API and the dashboard send them: JSON, validated into a <see cref="NewScore"/>.</summary>
internal static class ScoreParser
{
    public const int MaxNameLength = 200;
    public const int MaxCommentLength = 4000;

    private static readonly string[] s_sources = ["api", "annotation", "eval", "judge", "human", "feedback", "sdk"];

    /// <summary>Parses a score; returns it, or the problem (answered 400).</summary>
    public static (NewScore? Score, string? Error) ParseScore(ReadOnlySpan<byte> body)
    {
        if (!TryParseObject(body, out var root, out var error))
        {
            return (null, error);
        }

        using (root)
        {
            var r = root.RootElement;
            if (!TryIds(r, out var traceId, out var spanId, out error))
            {
                return (null, error);
            }

            if (!r.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || nameElement.GetString() is not { Length: > 0 and <= MaxNameLength } name)
            {
                return (null, $"'name' is required: a string of 1 to {MaxNameLength} characters.");
            }

            if (!r.TryGetProperty("value", out var value))
            {
                return (null, "'value' is required: a number, a boolean or a string (categorical).");
            }

            var declared = r.TryGetProperty("data_type", out var dt) && dt.ValueKind == JsonValueKind.String ? dt.GetString()!.ToLowerInvariant() : null;
            double? number = null;
            string? category = null;
            string type;
            switch (value.ValueKind)
            {
                case JsonValueKind.Number when declared is null or "numeric":
                    number = value.GetDouble();
                    type = "numeric";
                    break;
                case JsonValueKind.Number when declared == "boolean" && value.GetDouble() is 0 or 1:
                    number = value.GetDouble();
                    type = "boolean";
                    break;
                case JsonValueKind.True or JsonValueKind.False when declared is null or "boolean":
                    number = value.GetBoolean() ? 1 : 0;
                    type = "boolean";
                    break;
                case JsonValueKind.String when declared is null or "categorical":
                    category = value.GetString();
                    type = "categorical";
                    break;
                default:
                    return (null, $"'value' does not fit data_type '{declared}': numeric takes a number, boolean true/false (or 0/1), categorical a string.");
            }

            if (number is { } n && !double.IsFinite(n))
            {
                return (null, "'value' must be a finite number.");
            }

            var source = OptionalString(r, "source") ?? "api";
            if (!s_sources.Contains(source))
            {
                return (null, $"'source' must be one of {string.Join(", ", s_sources)}.");
            }

            var comment = OptionalString(r, "comment");
            if (comment is { Length: > MaxCommentLength })
            {
                return (null, $"'comment' is longer than {MaxCommentLength} characters.");
            }

            return (new NewScore(traceId, spanId, name, type, number, category, source, comment, OptionalString(r, "user")), null);
        }
    }

    /// <summary>
    /// Feedback from an end user: <c>value</c> is "up"/"down", 👍/👎, true/false, 1/-1 or a number; stored
    /// as the numeric score <c>feedback</c> from source <c>feedback</c>.
    /// </summary>
    public static (NewScore? Score, string? Error) ParseFeedback(ReadOnlySpan<byte> body)
    {
        if (!TryParseObject(body, out var root, out var error))
        {
            return (null, error);
        }

        using (root)
        {
            var r = root.RootElement;
            if (!TryIds(r, out var traceId, out var spanId, out error))
            {
                return (null, error);
            }

            if (!r.TryGetProperty("value", out var value))
            {
                return (null, "'value' is required: \"up\" or \"down\" (or 👍/👎, true/false, 1/-1, a number).");
            }

            double? number = value.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => -1,
                JsonValueKind.Number when double.IsFinite(value.GetDouble()) => value.GetDouble(),
                JsonValueKind.String => value.GetString() switch
                {
                    "up" or "👍" or "thumbs_up" or "positive" => 1,
                    "down" or "👎" or "thumbs_down" or "negative" => -1,
                    _ => null,
                },
                _ => null,
            };
            if (number is null)
            {
                return (null, "'value' must be \"up\" or \"down\" (or 👍/👎, true/false, 1/-1, a number).");
            }

            var comment = OptionalString(r, "comment");
            if (comment is { Length: > MaxCommentLength })
            {
                return (null, $"'comment' is longer than {MaxCommentLength} characters.");
            }

            return (new NewScore(traceId, spanId, "feedback", "numeric", number, null, "feedback", comment, OptionalString(r, "user")), null);
        }
    }

    private static bool TryParseObject(ReadOnlySpan<byte> body, out JsonDocument document, out string? error)
    {
        document = null!;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            error = $"The body is not valid JSON: {ex.Message.Split(" LineNumber")[0]}";
            return false;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            error = "The body must be a JSON object.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>A trace id (32 hex, the <c>x-switchyard-trace-id</c> header) and optionally a span id (16 hex).</summary>
    private static bool TryIds(JsonElement r, out string traceId, out string? spanId, out string? error)
    {
        traceId = OptionalString(r, "trace_id")?.ToLowerInvariant() ?? "";
        spanId = OptionalString(r, "span_id")?.ToLowerInvariant();
        error = null;
        if (traceId.Length != 32 || !traceId.All(char.IsAsciiHexDigit))
        {
            error = "'trace_id' is required: the 32 hexadecimal characters of x-switchyard-trace-id.";
            return false;
        }

        if (spanId is not null && (spanId.Length != 16 || !spanId.All(char.IsAsciiHexDigit)))
        {
            error = "'span_id' must be 16 hexadecimal characters (x-switchyard-span-id).";
            return false;
        }

        return true;
    }

    private static string? OptionalString(JsonElement r, string name) =>
        r.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
