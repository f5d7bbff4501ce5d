using System.Globalization;
using Switchyard.Accounting.Pricing;
using Xunit;

namespace Switchyard.Tests.Accounting.Pricing;

public sealed class ShippedPricesTests
{
    [Fact]
    public void Shipped_Loads()
    {
        Assert.True(PriceCatalog.Shipped.Count >= 50, $"only {PriceCatalog.Shipped.Count} entries");
    }

    [Fact]
    public void Shipped_EveryEntryIsSane()
    {
        foreach (var e in PriceCatalog.Shipped)
        {
            var name = $"{e.Provider}/{e.Model}";
            Assert.False(string.IsNullOrWhiteSpace(e.Provider), name);
            Assert.True(e.InputPerMillion >= 0 && e.CachedInputPerMillion >= 0 && e.CacheWritePerMillion >= 0 && e.OutputPerMillion >= 0 && (e.ReasoningPerMillion ?? 0) >= 0, name);
            Assert.True(e.CachedInputPerMillion <= e.InputPerMillion, $"{name}: a cache hit costs more than fresh input");
            Assert.True(e.CacheWritePerMillion >= e.InputPerMillion, $"{name}: a cache write costs less than fresh input");
            Assert.True(e.Source.StartsWith("https://", StringComparison.Ordinal) || e.Source == "simulated (sandbox)", $"{name}: source '{e.Source}'");
            Assert.True(DateOnly.TryParseExact(e.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), $"{name}: date '{e.Date}'");
        }
    }

    [Fact]
    public void Shipped_HasNoDuplicateModelForAProvider()
    {
        var names = PriceCatalog.Shipped.SelectMany(e => e.Aliases.Prepend(e.Model).Select(n => $"{e.Provider}/{n}".ToLowerInvariant())).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [InlineData("openai", "gpt-5,gpt-5-mini,gpt-5-nano,gpt-4.1,gpt-4.1-mini,gpt-4.1-nano,gpt-4o,gpt-4o-mini,o3,o3-mini,o4-mini,o1,gpt-3.5-turbo,text-embedding-3-small,text-embedding-3-large,text-embedding-ada-002")]
    [InlineData("azure", "gpt-5,gpt-5-mini,gpt-5-nano,gpt-4.1,gpt-4.1-mini,gpt-4.1-nano,gpt-4o,gpt-4o-mini,o3,o3-mini,o4-mini,o1,gpt-35-turbo,text-embedding-3-small,text-embedding-3-large,text-embedding-ada-002")]
    [InlineData("anthropic", "claude-opus-4-1,claude-opus-4,claude-sonnet-4-5,claude-sonnet-4,claude-3-7-sonnet,claude-haiku-4-5,claude-3-5-haiku,claude-3-haiku")]
    public void Shipped_CoversTheVendorsModels(string provider, string models)
    {
        foreach (var model in models.Split(','))
        {
            Assert.Contains(PriceCatalog.Shipped, e => e.Provider == provider && e.Model == model);
        }
    }

    [Fact]
    public void Shipped_SandboxIsFree()
    {
        var sandbox = Assert.Single(PriceCatalog.Shipped, e => e.Model == "sandbox");

        Assert.Equal("sandbox", sandbox.Provider);
        Assert.Equal("simulated (sandbox)", sandbox.Source);
        Assert.Equal(0m, sandbox.InputPerMillion + sandbox.CachedInputPerMillion + sandbox.CacheWritePerMillion + sandbox.OutputPerMillion);
    }

    [Fact]
    public void Shipped_OpenWeightModelsNameTheirHost()
    {
        var hosts = PriceCatalog.Shipped.Where(e => e.Provider is "together" or "groq").ToList();

        Assert.Contains(hosts, e => e.Model.Contains("405B", StringComparison.Ordinal));
        Assert.Contains(hosts, e => e.Model.Contains("DeepSeek-R1", StringComparison.Ordinal));
        Assert.Contains(hosts, e => e.Model.Contains("gemma", StringComparison.OrdinalIgnoreCase));
        Assert.All(hosts, e => Assert.True(e.Source.Contains("together.ai", StringComparison.Ordinal) || e.Source.Contains("groq.com", StringComparison.Ordinal), e.Source));
    }
}
