using System.Buffers;
using System.Text.Json;
using Switchyard.Buffers;

namespace Switchyard.Gateway;

/// <summary>Errors in each API's own shape: OpenAI's <c>{"error":{...}}</c> or Anthropic's <c>{"type":"error",...}</c>.</summary>
internal static class GatewayErrors
{
    /// <summary>
    /// <c>Retry-After</c> in whole seconds and <c>retry-after-ms</c> (OpenAI's SDKs read it first), both
    /// rounded up so a client that honours them never comes back too early.
    /// </summary>
    public static void SetRetryAfter(Microsoft.AspNetCore.Http.IHeaderDictionary headers, TimeSpan retry)
    {
        headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["retry-after-ms"] = Math.Max(1, (long)Math.Ceiling(retry.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task WriteAsync(CallContext call, int status, string type, string message, string? code = null)
    {
        call.Fail(status, type, message);
        var response = call.Http.Response;
        if (response.HasStarted)
        {
            return;
        }

        using var buffer = new PooledBufferWriter(512);
        Write(buffer, call.Api, status, type, message, code);
        await call.Response.SendAsync(status, buffer.WrittenMemory, Responses.AnswerOrigin.Error).ConfigureAwait(false);
    }

    public static void Write(IBufferWriter<byte> output, ClientApi api, int status, string type, string message, string? code = null)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        if (api is ClientApi.Messages or ClientApi.CountTokens)
        {
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", AnthropicType(status));
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            writer.WriteNull("param");
            if (code is null)
            {
                writer.WriteNull("code");
            }
            else
            {
                writer.WriteString("code", code);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Anthropic's error vocabulary, by status.</summary>
    public static string AnthropicType(int status) => status switch
    {
        400 or 422 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 or 503 => "overloaded_error",
        _ => "api_error",
    };

    /// <summary>OpenAI's error vocabulary, by status.</summary>
    public static string OpenAIType(int status) => status switch
    {
        400 or 404 or 409 or 413 or 415 or 422 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        429 => "rate_limit_exceeded",
        _ => "server_error",
    };
}
