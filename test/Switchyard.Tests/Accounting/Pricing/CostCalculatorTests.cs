using Switchyard.Accounting;
using Switchyard.Accounting.Pricing;
using Xunit;

namespace Switchyard.Tests.Accounting.Pricing;

public sealed class CostCalculatorTests
{
    [Fact]
    public void Compute_OpenAIWithCachedAndReasoningTokens_MatchesHandComputedValue()
    {
        Assert.True(PriceCatalog.Create([]).TryFind("openai", "o4-mini", out var price));

        // 10,000 prompt tokens of which 4,000 cached; 2,000 completion tokens of which 1,500 reasoning.
        // 6,000 × 1.10 + 4,000 × 0.275 + 500 × 4.40 + 1,500 × 4.40 = 6,600 + 1,100 + 2,200 + 6,600 = 16,500 per million.
        var cost = CostCalculator.Compute(new TokenUsage(10_000, 2_000, CachedInputTokens: 4_000, ReasoningTokens: 1_500), price);

        Assert.Equal(0.0165m, cost);
    }

    [Fact]
    public void Compute_AnthropicWithCacheReadAndWrite_MatchesHandComputedValue()
    {
        Assert.True(PriceCatalog.Create([]).TryFind("anthropic", "claude-sonnet-4-5-20250929", out var price));

        // Anthropic reports 1,000 fresh + 20,000 cache-read + 5,000 cache-write input tokens; TokenUsage sums them.
        // 1,000 × 3 + 20,000 × 0.30 + 5,000 × 3.75 + 800 × 15 = 3,000 + 6,000 + 18,750 + 12,000 = 39,750 per million.
        var cost = CostCalculator.Compute(new TokenUsage(26_000, 800, CachedInputTokens: 20_000, CacheWriteTokens: 5_000), price);

        Assert.Equal(0.03975m, cost);
    }

    [Fact]
    public void Compute_EveryBucketHasItsOwnPrice()
    {
        var price = new PriceEntry("m", null, 1m, 0.5m, 2m, 4m, 8m, "s", "2025-01-01");

        // 700 × 1 + 200 × 0.5 + 100 × 2 + 200 × 4 + 100 × 8 = 700 + 100 + 200 + 800 + 800 = 2,600 per million.
        var cost = CostCalculator.Compute(new TokenUsage(1_000, 300, 200, 100, 100), price);

        Assert.Equal(0.0026m, cost);
    }

    [Fact]
    public void Compute_ReasoningWithoutItsOwnPrice_IsBilledAsOutput()
    {
        var price = new PriceEntry("m", null, 0m, 0m, 0m, 10m, null, "s", "2025-01-01");

        Assert.Equal(CostCalculator.Compute(new TokenUsage(0, 100), price), CostCalculator.Compute(new TokenUsage(0, 100, ReasoningTokens: 60), price));
    }

    [Fact]
    public void Compute_ZeroUsage_IsZero()
    {
        var price = new PriceEntry("m", null, 15m, 1.5m, 18.75m, 75m, null, "s", "2025-01-01");

        Assert.Equal(0m, CostCalculator.Compute(default, price));
    }

    [Fact]
    public void Compute_CachedCountAboveInput_ClampsUncachedAtZero()
    {
        var price = new PriceEntry("m", null, 1m, 0.5m, 1m, 1m, null, "s", "2025-01-01");

        // A provider that reports more cached than prompt tokens must not earn a credit on the uncached part.
        Assert.Equal(0.00005m, CostCalculator.Compute(new TokenUsage(50, 0, CachedInputTokens: 100), price));
    }

    [Theory]
    [InlineData(1, 0, 1, "0.000000075")] // 1 cached token of gpt-4o-mini at 0.075 per million
    [InlineData(3, 0, 0, "0.00000045")] // 3 × 0.15 / 1e6: exact in decimal, 4.4999999999999996e-7 in double
    [InlineData(0, 1, 0, "0.0000006")]
    public void Compute_IsExactInDecimal(long input, long output, long cached, string expected)
    {
        Assert.True(PriceCatalog.Create([]).TryFind("openai", "gpt-4o-mini", out var price));

        var cost = CostCalculator.Compute(new TokenUsage(input, output, cached), price);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), cost);
    }

    [Theory]
    [InlineData("0.000000075", 75)]
    [InlineData("0.0165", 16_500_000)]
    [InlineData("0.0000000005", 1)]
    [InlineData("0.00000000049", 0)]
    [InlineData("-0.0000000005", -1)]
    [InlineData("0", 0)]
    [InlineData("1", 1_000_000_000)]
    [InlineData("100000000000", long.MaxValue)]
    public void ToNanoUsd_RoundsHalfAwayFromZeroAndSaturates(string usd, long expected)
    {
        Assert.Equal(expected, CostCalculator.ToNanoUsd(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
