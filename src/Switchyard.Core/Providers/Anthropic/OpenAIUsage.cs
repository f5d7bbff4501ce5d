using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Providers.Anthropic;

/// <summary>The <c>usage</c> object of OpenAI chat completions, read and written.</summary>
internal static class OpenAIUsage
{
    public static void Write(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.InputTokens);
        writer.WriteNumber("completion_tokens", usage.OutputTokens);
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedInputTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Reads a usage object leniently: missing counts are 0.</summary>
    public static TokenUsage Read(JsonElement usage)
    {
        var cached = WireJson.Get(usage, "prompt_tokens_details") is { } prompt ? WireJson.Count(prompt, "cached_tokens") : 0;
        var reasoning = WireJson.Get(usage, "completion_tokens_details") is { } completion ? WireJson.Count(completion, "reasoning_tokens") : 0;
        return new TokenUsage(WireJson.Count(usage, "prompt_tokens"), WireJson.Count(usage, "completion_tokens"), cached, 0, reasoning);
    }
}
