using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Rewrites an upstream error body into the error shape of the client's API. Any body is accepted:
/// proxies in front of providers answer with HTML or plain text, which becomes the (truncated) message.
/// </summary>
internal static class AnthropicErrorTranslator
{
    /// <summary>Keeps a proxy's HTML error page from ending up whole in the client's error message.</summary>
    private const int MaxMessageChars = 500;

    /// <summary>Anthropic <c>{"type":"error","error":{"type","message"}}</c> → OpenAI <c>{"error":{"message","type","param","code"}}</c>.</summary>
    /// <remarks>The type follows the status, as OpenAI clients branch on it; the Anthropic type is kept as <c>code</c>.</remarks>
    public static byte[] ToOpenAI(int status, ReadOnlySpan<byte> anthropicErrorBody)
    {
        var (message, anthropicType) = Read(anthropicErrorBody, status, static root =>
        {
            var error = WireJson.Get(root, "error");
            return error is { ValueKind: JsonValueKind.Object } e
                ? (WireJson.StringOrNull(e, "message"), WireJson.StringOrNull(e, "type"))
                : (WireJson.StringOrNull(root, "message"), null);
        });

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", ErrorTypes.OpenAIForStatus(status));
            writer.WriteNull("param");
            if (anthropicType is null)
            {
                writer.WriteNull("code");
            }
            else
            {
                writer.WriteString("code", anthropicType);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>OpenAI <c>{"error":{"message",...}}</c> (or any body) → Anthropic <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    public static byte[] ToAnthropic(int status, ReadOnlySpan<byte> openAiErrorBody)
    {
        var (message, _) = Read(openAiErrorBody, status, static root =>
        {
            var error = WireJson.Get(root, "error");
            return error switch
            {
                { ValueKind: JsonValueKind.Object } e => (WireJson.StringOrNull(e, "message"), null),
                { ValueKind: JsonValueKind.String } s => (s.GetString(), null),

                // Some OpenAI-compatible servers (FastAPI-based ones) answer {"detail": "..."}.
                _ => (WireJson.StringOrNull(root, "message") ?? WireJson.StringOrNull(root, "detail"), (string?)null),
            };
        });

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", ErrorTypes.AnthropicForStatus(status));
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static (string Message, string? Type) Read(ReadOnlySpan<byte> body, int status, Func<JsonElement, (string? Message, string? Type)> extract)
    {
        (string? Message, string? Type) found = (null, null);
        try
        {
            using var document = WireJson.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                found = extract(document.RootElement);
            }
        }
        catch (JsonException)
        {
            found = (Truncate(Encoding.UTF8.GetString(body).Trim()), null);
        }

        var message = string.IsNullOrWhiteSpace(found.Message) ? $"The upstream returned HTTP {status}." : found.Message;
        return (message, found.Type);
    }

    private static string Truncate(string text) => text.Length <= MaxMessageChars ? text : string.Concat(text.AsSpan(0, MaxMessageChars), "…");
}
