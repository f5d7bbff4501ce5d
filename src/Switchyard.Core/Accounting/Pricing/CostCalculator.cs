namespace Switchyard.Accounting.Pricing;

/// <summary>The USD cost of one call from its token usage and the model's price, in exact decimal arithmetic.</summary>
internal static class CostCalculator
{
    private const decimal TokensPerMillion = 1_000_000m;
    private const decimal NanoPerUsd = 1_000_000_000m;
    private const decimal MaxUsd = long.MaxValue / NanoPerUsd;

    /// <summary>
    /// Splits the usage into the buckets vendors bill separately. <see cref="TokenUsage.InputTokens"/> includes
    /// cached and cache-write tokens and <see cref="TokenUsage.OutputTokens"/> includes reasoning tokens, so
    /// those are taken out before the plain rates apply; otherwise they would be billed twice.
    /// </summary>
    public static decimal Compute(TokenUsage usage, PriceEntry price)
    {
        ArgumentNullException.ThrowIfNull(price);

        // Counts come from upstream responses; a negative one is a provider bug and must not produce a credit.
        var cached = NonNegative(usage.CachedInputTokens);
        var cacheWrite = NonNegative(usage.CacheWriteTokens);
        var reasoning = NonNegative(usage.ReasoningTokens);
        var uncachedInput = NonNegative(usage.InputTokens - cached - cacheWrite);
        var plainOutput = NonNegative(usage.OutputTokens - reasoning);

        // Sum per-million amounts and divide once: the division is the only step that can leave a
        // remainder, so doing it last keeps the result exact for every realistic price.
        var perMillion = (uncachedInput * price.InputPerMillion)
            + (cached * price.CachedInputPerMillion)
            + (cacheWrite * price.CacheWritePerMillion)
            + (plainOutput * price.OutputPerMillion)
            + (reasoning * (price.ReasoningPerMillion ?? price.OutputPerMillion));
        return perMillion / TokensPerMillion;
    }

    /// <summary>USD to the integer nano-USD that storage keeps, rounding half away from zero.</summary>
    /// <remarks>Saturates instead of throwing: a cost beyond ±9.2 billion USD can only come from a corrupt count, and recording must not fail on it.</remarks>
    public static long ToNanoUsd(decimal usd)
    {
        if (usd >= MaxUsd)
        {
            return long.MaxValue;
        }

        if (usd <= -MaxUsd)
        {
            return long.MinValue;
        }

        return (long)Math.Round(usd * NanoPerUsd, MidpointRounding.AwayFromZero);
    }

    private static long NonNegative(long value) => Math.Max(0, value);
}
