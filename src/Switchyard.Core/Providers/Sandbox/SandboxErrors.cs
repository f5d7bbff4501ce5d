using System.Text.Json;

namespace Switchyard.Providers.Sandbox;

/// <summary>OpenAI-shaped error answers: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal static class SandboxErrors
{
    public static UpstreamResponse Create(int status, string message, string type, string? param = null, string? code = null, TimeSpan? retryAfter = null)
    {
        byte[] body = SandboxJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            WriteNullableString(writer, "param", param);
            WriteNullableString(writer, "code", code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        return new UpstreamResponse(status, "application/json", new MemoryStream(body, writable: false))
        {
            RetryAfter = retryAfter,
            RequestId = SandboxIds.RequestId(),
        };
    }

    public static UpstreamResponse InvalidRequest(string message, string? param = null) =>
        Create(400, message, "invalid_request_error", param);

    public static UpstreamResponse ServerError() =>
        Create(500, "sandbox: simulated server error", "server_error");

    public static UpstreamResponse RateLimited(TimeSpan retryAfter) =>
        Create(429, "sandbox: simulated rate limit; retry after the indicated delay", "rate_limit_exceeded", code: "rate_limit_exceeded", retryAfter: retryAfter);

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
