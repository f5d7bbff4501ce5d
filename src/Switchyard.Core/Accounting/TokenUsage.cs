namespace Switchyard.Accounting;

/// <summary>Token counts of one call, as the provider reported them (or as counted when it did not).</summary>
/// <remarks>
/// <see cref="InputTokens"/> includes cached and cache-write tokens (OpenAI's <c>prompt_tokens</c>
/// convention); <see cref="OutputTokens"/> includes reasoning tokens (OpenAI's <c>completion_tokens</c>).
/// </remarks>
internal record struct TokenUsage(long InputTokens, long OutputTokens, long CachedInputTokens = 0, long CacheWriteTokens = 0, long ReasoningTokens = 0)
{
    public readonly long TotalTokens => InputTokens + OutputTokens;
}
