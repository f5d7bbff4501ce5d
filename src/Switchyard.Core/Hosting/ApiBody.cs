using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Hosting;

/// <summary>
/// Reading and answering the JSON of the management API: bodies are bounded, must be objects with known
/// fields, and every problem is a 4xx in the <c>{"error":{...}}</c> shape naming the field.
/// </summary>
internal static class ApiBody
{
    private const long MaxBody = 64 * 1024;

    /// <summary>The body as a JSON object, or the error to answer with. An empty body is an empty object.</summary>
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadObjectAsync(HttpContext http, params string[] knownFields)
    {
        using var body = await Ingress.RequestBodyReader.ReadAsync(http.Request, MaxBody, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (null, Error(413, $"The body is larger than {MaxBody} bytes.", "request_too_large"));
        }

        if (body.Length == 0)
        {
            return (JsonDocument.Parse("{}"), null);
        }

        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return (null, BadRequest("The body is not valid UTF-8."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Span.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return (null, BadRequest($"The body is not valid JSON: {ex.Message.Split(" LineNumber", 2)[0]}"));
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, BadRequest("The body must be a JSON object."));
        }

        string? unknown = null;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!knownFields.Contains(property.Name, StringComparer.Ordinal))
            {
                unknown = property.Name;
                break;
            }
        }

        if (unknown is not null)
        {
            document.Dispose();
            return (null, BadRequest($"{unknown}: unknown field (expected {string.Join(", ", knownFields)})."));
        }

        return (document, null);
    }

    public static bool Has(JsonElement body, string name, out JsonElement value) => body.TryGetProperty(name, out value);

    /// <summary>A string field: absent → <paramref name="fallback"/>; null → null; else a non-empty string up to <paramref name="maxLength"/>.</summary>
    public static bool TryString(JsonElement body, string name, string? fallback, int maxLength, out string? value, out string? error)
    {
        error = null;
        value = fallback;
        if (!body.TryGetProperty(name, out var element))
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            value = null;
            return true;
        }

        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 } text || text.Length > maxLength || text.Any(char.IsControl))
        {
            error = $"{name}: must be a non-empty string of at most {maxLength} characters without control characters.";
            return false;
        }

        value = text;
        return true;
    }

    /// <summary>An id chosen by the caller: letters, digits, '-', '_', '.', '@', up to 128 characters.</summary>
    public static bool IsValidId(string id) => id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@');

    public static bool TryMetadata(JsonElement body, string? fallback, out string? metadata, out string? error)
    {
        error = null;
        metadata = fallback;
        if (!body.TryGetProperty("metadata", out var element))
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            metadata = null;
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "metadata: must be a JSON object.";
            return false;
        }

        metadata = element.GetRawText();
        return true;
    }

    public static bool TryTime(JsonElement element, string name, out DateTimeOffset? time, out string? error)
    {
        error = null;
        time = null;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed.ToUniversalTime();
            return true;
        }

        error = $"{name}: must be an ISO 8601 time such as 2026-12-31T23:59:59Z.";
        return false;
    }

    public static bool TryDuration(JsonElement element, string name, out TimeSpan duration, out string? error)
    {
        error = null;
        duration = default;
        var ok = element.ValueKind switch
        {
            JsonValueKind.String => Configuration.ConfigLoader.TryParseDuration(element.GetString()!, out duration),
            JsonValueKind.Number => element.TryGetDouble(out var seconds) && seconds >= 0 && seconds < 1e10 && (duration = TimeSpan.FromSeconds(seconds)) >= TimeSpan.Zero,
            _ => false,
        };
        if (!ok)
        {
            error = $"{name}: must be a duration such as \"30d\", \"12h\", \"90m\" or a number of seconds.";
        }

        return ok;
    }

    public static IResult Json(Action<Utf8JsonWriter> write, int status = 200)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        var bytes = buffer.WrittenMemory.ToArray();
        return status == 200 ? Results.Bytes(bytes, "application/json") : new StatusBytes(bytes, status);
    }

    /// <summary>JSON bytes with a status other than 200 (Results.Bytes has no status).</summary>
    private sealed class StatusBytes(byte[] bytes, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json";
            httpContext.Response.ContentLength = bytes.Length;
            return httpContext.Response.Body.WriteAsync(bytes).AsTask();
        }
    }

    public static IResult BadRequest(string message, string? code = null) => Error(400, message, code);

    public static IResult Error(int status, string message, string? code = null) =>
        Results.Json(new ErrorBody(new ErrorDetail(message, status switch
        {
            401 => "authentication_error",
            403 => "permission_error",
            429 => "rate_limit_error",
            404 or 409 or 413 or 400 => "invalid_request_error",
            _ => "server_error",
        }, code)), ErrorJson.Default.ErrorBody, statusCode: status);

    /// <summary>
    /// A refused key: 401 <c>invalid_api_key</c>, 403 <c>insufficient_scope</c>, or 429 with
    /// <c>Retry-After</c> for a client address that failed authentication too often.
    /// </summary>
    public static IResult Denied(HttpContext http, Identity.AccessDecision decision)
    {
        if (decision.RetryAfter is { } retry)
        {
            Gateway.GatewayErrors.SetRetryAfter(http.Response.Headers, retry);
        }

        return Error(decision.Status, decision.Message!, decision.Status switch
        {
            401 => "invalid_api_key",
            429 => Identity.FailedAuthThrottle.ErrorCode,
            _ => "insufficient_scope",
        });
    }

    public static IResult From(Identity.IdentityError error) => Error(error.Status, error.Message, error.Code);

    public static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            json.WriteString(name, t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    public static void WriteRaw(Utf8JsonWriter json, string name, string? rawJson)
    {
        if (rawJson is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WritePropertyName(name);
            json.WriteRawValue(rawJson, skipInputValidation: true);
        }
    }
}
