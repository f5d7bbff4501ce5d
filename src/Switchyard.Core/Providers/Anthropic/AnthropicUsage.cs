using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// The <c>usage</c> object of Anthropic messages. Anthropic counts cache reads and cache writes apart
/// from <c>input_tokens</c>; <see cref="TokenUsage.InputTokens"/> is their sum.
/// </summary>
internal static class AnthropicUsage
{
    public static TokenUsage Read(JsonElement usage)
    {
        var cacheRead = WireJson.Count(usage, "cache_read_input_tokens");
        var cacheWrite = WireJson.Count(usage, "cache_creation_input_tokens");
        return new TokenUsage(WireJson.Count(usage, "input_tokens") + cacheRead + cacheWrite, WireJson.Count(usage, "output_tokens"), cacheRead, cacheWrite);
    }

    public static void Write(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", Math.Max(0, usage.InputTokens - usage.CachedInputTokens - usage.CacheWriteTokens));
        writer.WriteNumber("cache_creation_input_tokens", usage.CacheWriteTokens);
        writer.WriteNumber("cache_read_input_tokens", usage.CachedInputTokens);
        writer.WriteNumber("output_tokens", usage.OutputTokens);
        writer.WriteEndObject();
    }
}
