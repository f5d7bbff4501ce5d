using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Switchyard.Hosting;

/// <summary>
/// Reading and answering the JSON of the management API: bodies are bounded, must be objects with known
/// fields, and every problem is a 4xx in the <c>{"error":{...}}</c> shape naming the field.
/// </summary>
internal static partial class ApiBody
{
    private const long MaxBody = 64 * 1024;

    /// <summary>Results.Bytes wrote this before the bodies were typed; clients may compare it.</summary>
    public const string JsonType = "application/json";

    private static readonly JsonDocumentOptions s_parsing = new() { MaxDepth = 32 };

    /// <summary>The body as a <typeparamref name="T"/>, or the error to answer with. An empty body is an empty object.</summary>
    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type)
        where T : class
    {
        using var body = await Ingress.RequestBodyReader.ReadAsync(http.Request, MaxBody, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (null, Error(413, $"The body is larger than {MaxBody} bytes.", "request_too_large"));
        }

        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return (null, BadRequest("The body is not valid UTF-8."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body.Memory, s_parsing);
        }
        catch (JsonException ex)
        {
            return (null, BadRequest($"The body is not valid JSON: {ex.Message.Split(" LineNumber", 2)[0]}"));
        }

        using (document)
        {
            return Bind(document.RootElement, type, out var value) is { } problem ? (null, BadRequest(problem)) : (value, null);
        }
    }

    /// <summary>
    /// <paramref name="element"/> as a <typeparamref name="T"/>, or the problem: a member the type lacks or one of
    /// the wrong JSON type, named by its path (<c>limits.rpm: must be an integer.</c>).
    /// </summary>
    public static string? Bind<T>(JsonElement element, JsonTypeInfo<T> type, out T? value)
        where T : class
    {
        value = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return "The body must be a JSON object.";
        }

        try
        {
            value = element.Deserialize(type);
            return null;
        }
        catch (JsonException ex)
        {
            return Problem(ex.Path, type);
        }
    }

    /// <summary>Follows the serializer's path (<c>$.limits.rpm</c>, <c>$.models[0]</c>, <c>$['a.b']</c>) through the request types to the member it names.</summary>
    private static string Problem(string? jsonPath, JsonTypeInfo root)
    {
        var path = "";
        var parent = root;
        foreach (Match segment in PathSegment().Matches(jsonPath ?? ""))
        {
            if (!segment.Groups["name"].Success)
            {
                break; // an array index: the member is the array
            }

            var name = segment.Groups["name"].Value;
            path = path.Length == 0 ? name : $"{path}.{name}";
            var member = parent.Properties.FirstOrDefault(p => p.Name == name);
            if (member is null)
            {
                return $"{path}: unknown field (expected {string.Join(", ", parent.Properties.Select(p => p.Name))}).";
            }

            parent = root.Options.GetTypeInfo(member.PropertyType);
        }

        var expected = Nullable.GetUnderlyingType(parent.Type) ?? parent.Type;
        return $"{(path.Length == 0 ? "The body" : path)}: must be {expected switch
        {
            _ when expected == typeof(string) => "a non-empty string",
            _ when expected == typeof(string[]) => "an array of strings",
            _ when expected == typeof(long) || expected == typeof(int) => "an integer",
            _ when expected == typeof(double[]) => "an array of numbers",
            _ when expected == typeof(DateTimeOffset) => "an ISO 8601 time such as 2026-12-31T23:59:59Z",
            _ => $"a JSON object with {string.Join(", ", parent.Properties.Select(p => p.Name))}",
        }}.";
    }

    /// <summary>A text member: null, or the problem with it (empty, longer than <paramref name="maxLength"/>, control characters).</summary>
    public static string? Text(string name, string? value, int maxLength) =>
        value is null || (value.Length > 0 && value.Length <= maxLength && !value.Any(char.IsControl))
            ? null
            : $"{name}: must be a non-empty string of at most {maxLength} characters without control characters.";

    /// <summary>An id chosen by the caller: letters, digits, '-', '_', '.', '@', up to 128 characters.</summary>
    public static bool IsValidId(string id) => id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@');

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<name>.*?)'\]|\[\d+\]")]
    private static partial Regex PathSegment();

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

    /// <summary>A typed JSON answer, with the content type and <c>Content-Length</c> the API has always sent.</summary>
    public static Admin.JsonAnswer<T> Ok<T>(T value, JsonTypeInfo<T> type, int status = 200) => new(value, type, status);

    /// <summary>JSON written by hand, for answers a store writes straight into the response.</summary>
    public static IResult Json(Action<Utf8JsonWriter> write, int status = 200)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return status == 200 ? TypedResults.Bytes(buffer.WrittenMemory.ToArray(), JsonType) : Results.Content(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), JsonType, System.Text.Encoding.UTF8, status);
    }

    /// <summary>
    /// As <see cref="Json"/>, for a store that writes while it reads asynchronously: still buffered whole,
    /// so the answer keeps its <c>Content-Length</c> and a failing query is an error, not a cut-off body.
    /// </summary>
    public static async Task<IResult> JsonAsync(Func<Utf8JsonWriter, Task> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        await using (var json = new Utf8JsonWriter(buffer))
        {
            await write(json).ConfigureAwait(false);
        }

        return TypedResults.Bytes(buffer.WrittenMemory.ToArray(), JsonType);
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
}
