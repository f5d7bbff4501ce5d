using Switchyard.Accounting.Pricing;
using Xunit;

namespace Switchyard.Tests.Accounting.Pricing;

public sealed class PriceCatalogTests
{
    private static readonly PriceCatalog s_catalog = PriceCatalog.Create([]);

    [Theory]
    [InlineData("openai", "gpt-4o", "openai", "gpt-4o")]
    [InlineData("azure", "gpt-4o", "azure", "gpt-4o")]
    [InlineData(null, "gpt-4o", "openai", "gpt-4o")]
    [InlineData("anthropic", "claude-opus-4-1", "anthropic", "claude-opus-4-1")]
    [InlineData("openai", "claude-haiku-4-5", "anthropic", "claude-haiku-4-5")]
    [InlineData("openai", "llama-3.3-70b-versatile", "groq", "llama-3.3-70b-versatile")]
    [InlineData("sandbox", "sandbox", "sandbox", "sandbox")]
    public void TryFind_ExactModel_PrefersTheProviderThenAnyProvider(string? provider, string model, string expectedProvider, string expectedModel)
    {
        AssertFound(provider, model, expectedProvider, expectedModel);
    }

    [Theory]
    [InlineData("anthropic", "claude-opus-4-0", "claude-opus-4")]
    [InlineData(null, "claude-sonnet-4-0", "claude-sonnet-4")]
    [InlineData("openai", "gpt-5-chat-latest", "gpt-5")]
    public void TryFind_Alias_FindsTheModel(string? provider, string model, string expectedModel)
    {
        Assert.True(s_catalog.TryFind(provider, model, out var price));
        Assert.Equal(expectedModel, price.Model);
    }

    [Theory]
    [InlineData("openai", "gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("openai", "gpt-4.1-2025-04-14", "gpt-4.1")]
    [InlineData("openai", "o3-mini-2025-01-31", "o3-mini")]
    [InlineData("openai", "gpt-3.5-turbo-0125", "gpt-3.5-turbo")]
    [InlineData("anthropic", "claude-3-5-sonnet-20241022", "claude-3-5-sonnet")]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("anthropic", "claude-opus-4-20250514", "claude-opus-4")]
    [InlineData("anthropic", "claude-3-7-sonnet-latest", "claude-3-7-sonnet")]
    [InlineData(null, "claude-3-5-sonnet@20240620", "claude-3-5-sonnet")]
    [InlineData("mistral", "mistral-large-latest", "mistral-large")]
    [InlineData("mistral", "mistral-large-2411", "mistral-large")]
    public void TryFind_DateOrVersionSuffix_IsStripped(string? provider, string model, string expectedModel)
    {
        Assert.True(s_catalog.TryFind(provider, model, out var price));
        Assert.Equal(expectedModel, price.Model);
    }

    [Fact]
    public void TryFind_SnapshotWithItsOwnPrice_IsNotStrippedToTheFamily()
    {
        Assert.True(s_catalog.TryFind("openai", "gpt-4o-2024-05-13", out var price));

        Assert.Equal("gpt-4o-2024-05-13", price.Model);
        Assert.Equal(5m, price.InputPerMillion);
    }

    [Theory]
    [InlineData(null, "openai/gpt-4o", "openai", "gpt-4o")]
    [InlineData("openai", "models/gpt-4o", "openai", "gpt-4o")]
    [InlineData(null, "azure/gpt-4o", "azure", "gpt-4o")]
    [InlineData("openai", "anthropic/claude-3-5-haiku-20241022", "anthropic", "claude-3-5-haiku")]
    [InlineData(null, "openai/gpt-4o-2024-08-06", "openai", "gpt-4o")]
    [InlineData(null, "meta-llama/Llama-3.3-70B-Instruct-Turbo", "together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")]
    [InlineData(null, "together/deepseek-ai/DeepSeek-R1", "together", "deepseek-ai/DeepSeek-R1")]
    public void TryFind_ProviderOrModelsPrefix_IsStripped(string? provider, string model, string expectedProvider, string expectedModel)
    {
        AssertFound(provider, model, expectedProvider, expectedModel);
    }

    [Theory]
    [InlineData("OpenAI", "GPT-4O", "openai", "gpt-4o")]
    [InlineData("AZURE", "Gpt-4o-Mini", "azure", "gpt-4o-mini")]
    [InlineData(null, "META-LLAMA/LLAMA-3.3-70B-INSTRUCT-TURBO", "together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")]
    [InlineData(null, "Claude-3-5-Sonnet-LATEST", "anthropic", "claude-3-5-sonnet")]
    public void TryFind_IgnoresCase(string? provider, string model, string expectedProvider, string expectedModel)
    {
        AssertFound(provider, model, expectedProvider, expectedModel);
    }

    [Theory]
    [InlineData("openai", "no-such-model")]
    [InlineData(null, "gpt")]
    [InlineData("openai", "gpt-4o-realtime-preview")]
    [InlineData("openai", "text-embedding-ada")]
    [InlineData(null, "openai/")]
    [InlineData("openai", "")]
    [InlineData("openai", "   ")]
    [InlineData("openai", null)]
    public void TryFind_Unknown_IsFalse(string? provider, string? model)
    {
        Assert.False(s_catalog.TryFind(provider, model, out var price));
        Assert.Null(price);
    }

    [Fact]
    public void TryFind_Repeated_ReturnsTheSameEntry()
    {
        Assert.True(s_catalog.TryFind("openai", "gpt-4o-2024-11-20", out var first));
        Assert.True(s_catalog.TryFind("openai", "gpt-4o-2024-11-20", out var second));
        Assert.False(s_catalog.TryFind("openai", "unknown-twice", out _));
        Assert.False(s_catalog.TryFind("openai", "unknown-twice", out _));

        Assert.Same(first, second);
    }

    [Fact]
    public void Create_OverrideWithProvider_ReplacesOnlyThatProvidersEntry()
    {
        var catalog = PriceCatalog.Create([Entry("gpt-4o", "openai", 1m)]);

        Assert.True(catalog.TryFind("openai", "gpt-4o-2024-08-06", out var openai));
        Assert.True(catalog.TryFind("azure", "gpt-4o", out var azure));
        Assert.Equal(1m, openai.InputPerMillion);
        Assert.Equal("override", openai.Source);
        Assert.Equal(2.50m, azure.InputPerMillion);
        Assert.Single(catalog.Entries, e => e.Model == "gpt-4o" && e.Provider == "openai");
    }

    [Fact]
    public void Create_OverrideWithoutProvider_ReplacesTheModelForEveryProvider()
    {
        var catalog = PriceCatalog.Create([Entry("GPT-4o", null, 1m)]);

        Assert.True(catalog.TryFind("azure", "gpt-4o", out var azure));
        Assert.True(catalog.TryFind("openai", "gpt-4o", out var openai));
        Assert.Equal("override", azure.Source);
        Assert.Equal("override", openai.Source);
    }

    [Fact]
    public void Create_OverrideForANewModel_IsFoundWithItsAliases()
    {
        var catalog = PriceCatalog.Create([Entry("in-house-model", "openai", 0.5m) with { Aliases = ["ihm"] }]);

        Assert.True(catalog.TryFind("openai", "ihm", out var price));
        Assert.Equal("in-house-model", price.Model);
        Assert.False(s_catalog.TryFind("openai", "ihm", out _));
    }

    [Fact]
    public void Create_OverridesParsedFromAFile_Apply()
    {
        var overrides = PriceFile.Parse("""
            prices:
              - { model: claude-sonnet-4-5, provider: anthropic, input: 2.7, cached_input: 0.27, cache_write: 3.375, output: 13.5, source: contract 2025-11, date: 2025-11-01 }
            """, "overrides.yaml");

        Assert.True(PriceCatalog.Create(overrides).TryFind("anthropic", "claude-sonnet-4-5-20250929", out var price));
        Assert.Equal(13.5m, price.OutputPerMillion);
    }

    private static PriceEntry Entry(string model, string? provider, decimal input) =>
        new(model, provider, input, input, input, input, null, "override", "2025-11-01");

    private static void AssertFound(string? provider, string model, string expectedProvider, string expectedModel)
    {
        Assert.True(s_catalog.TryFind(provider, model, out var price));
        Assert.Equal(expectedProvider, price.Provider);
        Assert.Equal(expectedModel, price.Model);
    }
}
