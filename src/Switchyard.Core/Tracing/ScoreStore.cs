using System.Text.Json;
using Switchyard.Storage;

namespace Switchyard.Tracing;

/// <summary>Scores and feedback: validated from JSON and written straight to the store.</summary>
internal sealed class ScoreStore(SqliteDatabase database, TimeProvider time, TraceOwnership ownership)
{
    public const int MaxNameLength = 200;
    public const int MaxCommentLength = 4000;

    private static readonly string[] s_sources = ["api", "annotation", "eval", "judge", "human", "feedback", "sdk"];

    /// <summary>Parses and stores a score; returns its id, or the problem and its status (400, or 404 for a trace the writer may not reach).</summary>
    public (long Id, string? Error, int Status) AddScore(ReadOnlySpan<byte> body, TraceWriter writer)
    {
        if (!TryParseObject(body, out var root, out var error))
        {
            return (0, error, 400);
        }

        using (root)
        {
            var r = root.RootElement;
            if (!TryIds(r, out var traceId, out var spanId, out error))
            {
                return (0, error, 400);
            }

            if (!r.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || nameElement.GetString() is not { Length: > 0 and <= MaxNameLength } name)
            {
                return (0, $"'name' is required: a string of 1 to {MaxNameLength} characters.", 400);
            }

            if (!r.TryGetProperty("value", out var value))
            {
                return (0, "'value' is required: a number, a boolean or a string (categorical).", 400);
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
                    return (0, $"'value' does not fit data_type '{declared}': numeric takes a number, boolean true/false (or 0/1), categorical a string.", 400);
            }

            if (number is { } n && !double.IsFinite(n))
            {
                return (0, "'value' must be a finite number.", 400);
            }

            var source = OptionalString(r, "source") ?? "api";
            if (!s_sources.Contains(source))
            {
                return (0, $"'source' must be one of {string.Join(", ", s_sources)}.", 400);
            }

            var comment = OptionalString(r, "comment");
            if (comment is { Length: > MaxCommentLength })
            {
                return (0, $"'comment' is longer than {MaxCommentLength} characters.", 400);
            }

            return Store(writer, traceId, spanId, name, type, number, category, source, comment, OptionalString(r, "user"));
        }
    }

    /// <summary>
    /// Feedback from an end user: <c>value</c> is "up"/"down", 👍/👎, true/false, 1/-1 or a number; stored
    /// as the numeric score <c>feedback</c> from source <c>feedback</c>.
    /// </summary>
    public (long Id, string? Error, int Status) AddFeedback(ReadOnlySpan<byte> body, TraceWriter writer)
    {
        if (!TryParseObject(body, out var root, out var error))
        {
            return (0, error, 400);
        }

        using (root)
        {
            var r = root.RootElement;
            if (!TryIds(r, out var traceId, out var spanId, out error))
            {
                return (0, error, 400);
            }

            if (!r.TryGetProperty("value", out var value))
            {
                return (0, "'value' is required: \"up\" or \"down\" (or 👍/👎, true/false, 1/-1, a number).", 400);
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
                return (0, "'value' must be \"up\" or \"down\" (or 👍/👎, true/false, 1/-1, a number).", 400);
            }

            var comment = OptionalString(r, "comment");
            if (comment is { Length: > MaxCommentLength })
            {
                return (0, $"'comment' is longer than {MaxCommentLength} characters.", 400);
            }

            return Store(writer, traceId, spanId, "feedback", "numeric", number, null, "feedback", comment, OptionalString(r, "user"));
        }
    }

    private (long Id, string? Error, int Status) Store(TraceWriter writer, string traceId, string? spanId, string name, string type, double? number, string? category, string source, string? comment, string? user)
    {
        // Another team's trace is answered as if it did not exist: its id is not confirmed.
        if (!ownership.MayWrite(traceId, writer))
        {
            return (0, $"No trace {traceId}.", 404);
        }

        return (Insert(writer, traceId, spanId, name, type, number, category, source, comment, user), null, 201);
    }

    private long Insert(TraceWriter writer, string traceId, string? spanId, string name, string type, double? number, string? category, string source, string? comment, string? user)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO scores (trace_id, span_id, name, data_type, value, string_value, source, comment, user_id, created_us, key_id, team)
            VALUES ($trace, $span, $name, $type, $value, $string, $source, $comment, $user, $created, $key, $team) RETURNING id
            """;
        command.Parameters.AddWithValue("$trace", traceId);
        command.Parameters.AddWithValue("$span", (object?)spanId ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$type", type);
        command.Parameters.AddWithValue("$value", (object?)number ?? DBNull.Value);
        command.Parameters.AddWithValue("$string", (object?)category ?? DBNull.Value);
        command.Parameters.AddWithValue("$source", source);
        command.Parameters.AddWithValue("$comment", (object?)comment ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", (object?)user ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
        command.Parameters.AddWithValue("$key", writer.KeyId);
        command.Parameters.AddWithValue("$team", (object?)writer.Team ?? DBNull.Value);
        return (long)command.ExecuteScalar()!;
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
