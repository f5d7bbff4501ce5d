using Switchyard.Accounting.Pricing;
using Xunit;

namespace Switchyard.Tests.Accounting.Pricing;

public sealed class PriceFileTests
{
    [Fact]
    public void Parse_GoodFile_ReadsEveryFieldAndFillsDefaults()
    {
        var entries = PriceFile.Parse("""
            prices:
              - model: m-full
                provider: OpenAI
                input: 1.5
                cached_input: 0.15
                cache_write: 1.875
                output: 6
                reasoning: 12
                aliases: [m-full-alias, other-name]
                source: https://example.test/pricing
                date: 2025-10-15
              - model: m-min
                input: 0.075
                output: 0.3
                source: simulated
                date: 2024-01-31
            """, "test.yaml");

        Assert.Equal(2, entries.Count);
        var full = entries[0];
        Assert.Equal(new PriceEntry("m-full", "openai", 1.5m, 0.15m, 1.875m, 6m, 12m, "https://example.test/pricing", "2025-10-15") { Aliases = full.Aliases }, full);
        Assert.Equal(["m-full-alias", "other-name"], full.Aliases);

        var min = entries[1];
        Assert.Null(min.Provider);
        Assert.Equal(0.075m, min.InputPerMillion);
        Assert.Equal(0.075m, min.CachedInputPerMillion);
        Assert.Equal(0.075m, min.CacheWritePerMillion);
        Assert.Null(min.ReasoningPerMillion);
        Assert.Empty(min.Aliases);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing here\n")]
    [InlineData("prices:\n")]
    [InlineData("prices: []\n")]
    public void Parse_EmptyFile_HasNoEntries(string yaml)
    {
        Assert.Empty(PriceFile.Parse(yaml, "empty.yaml"));
    }

    [Fact]
    public void Parse_SameModelForTwoProviders_IsAllowed()
    {
        var entries = PriceFile.Parse("""
            prices:
              - { model: gpt-4o, provider: openai, input: 2.5, output: 10, source: a, date: 2025-01-01 }
              - { model: gpt-4o, provider: azure, input: 2.5, output: 10, source: b, date: 2025-01-01 }
            """, "test.yaml");

        Assert.Equal(["openai", "azure"], entries.Select(e => e.Provider));
    }

    [Theory]
    [InlineData("prices: [", "YAML syntax error at line")]
    [InlineData("- just\n- a list\n", "(top level): must be a mapping with a 'prices' list.")]
    [InlineData("models: []\n", "models: unknown key (expected prices).")]
    [InlineData("other: 1\n", "prices: required: the list of models and their prices.")]
    [InlineData("prices: 3\n", "prices: must be a list of models.")]
    [InlineData("prices:\n  - gpt-4o\n", "prices[0]: must be a mapping (model, input, output, source, date, ...).")]
    public void Parse_BadShape_ReportsIt(string yaml, string expected)
    {
        var ex = Assert.Throws<PriceFileException>(() => PriceFile.Parse(yaml, "bad.yaml"));

        Assert.Contains(ex.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains("bad.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("output", "x", "prices[1].output: 'x' is not a number.")]
    [InlineData("output", "1,5", "prices[1].output: '1,5' is not a number.")]
    [InlineData("output", "-1", "prices[1].output: -1 is negative; a price cannot be below 0.")]
    [InlineData("cached_input", "cheap", "prices[1].cached_input: 'cheap' is not a number.")]
    [InlineData("reasoning", "[1]", "prices[1].reasoning: must be a single value, not a list or mapping.")]
    [InlineData("date", "yesterday", "prices[1].date: 'yesterday' is not a date (YYYY-MM-DD).")]
    [InlineData("date", "2025-13-01", "prices[1].date: '2025-13-01' is not a date (YYYY-MM-DD).")]
    [InlineData("aliases", "one", "prices[1].aliases: must be a list of model names.")]
    [InlineData("aliases", "[ok, {a: b}]", "prices[1].aliases[1]: must be a model name.")]
    [InlineData("colour", "red", "prices[1].colour: unknown key (expected one of model, provider, input, cached_input, cache_write, output, reasoning, aliases, source, date).")]
    [InlineData("model", null, "prices[1].model: required: the model name as the provider's API reports it.")]
    [InlineData("input", null, "prices[1].input: required: USD per million tokens.")]
    [InlineData("output", "", "prices[1].output: required: USD per million tokens.")]
    [InlineData("source", null, "prices[1].source: required: where the price was taken from (the vendor's pricing page).")]
    [InlineData("date", null, "prices[1].date: required: when the price was taken (YYYY-MM-DD).")]
    public void Parse_BadField_NamesItsPath(string key, string? value, string expected)
    {
        var ex = Assert.Throws<PriceFileException>(() => PriceFile.Parse(TwoEntries(key, value), "bad.yaml"));

        Assert.Equal([expected], ex.Errors);
    }

    [Fact]
    public void Parse_DuplicateModelForOneProvider_IsRejected()
    {
        var ex = Assert.Throws<PriceFileException>(() => PriceFile.Parse("""
            prices:
              - { model: gpt-4o, provider: openai, input: 2.5, output: 10, source: a, date: 2025-01-01 }
              - { model: GPT-4o, provider: openai, input: 5, output: 15, source: a, date: 2025-01-01 }
            """, "dup.yaml"));

        Assert.Equal(["prices[1].model: 'GPT-4o' is already listed at prices[0] for provider openai."], ex.Errors);
    }

    [Fact]
    public void Parse_AliasClashingWithAnotherName_IsRejected()
    {
        var ex = Assert.Throws<PriceFileException>(() => PriceFile.Parse("""
            prices:
              - { model: a, input: 1, output: 1, aliases: [b], source: s, date: 2025-01-01 }
              - { model: c, input: 1, output: 1, aliases: [a], source: s, date: 2025-01-01 }
            """, "dup.yaml"));

        Assert.Equal(["prices[1].aliases[0]: 'a' is already listed at prices[0]."], ex.Errors);
    }

    [Fact]
    public void Parse_ManyProblems_AreAllReportedAtOnce()
    {
        var ex = Assert.Throws<PriceFileException>(() => PriceFile.Parse("""
            extra: 1
            prices:
              - { model: a, input: x, output: -2, source: s, date: 2025-01-01 }
              - { input: 1, output: 1, date: someday }
            """, "many.yaml"));

        Assert.Equal(
            [
                "extra: unknown key (expected prices).",
                "prices[0].input: 'x' is not a number.",
                "prices[0].output: -2 is negative; a price cannot be below 0.",
                "prices[1].model: required: the model name as the provider's API reports it.",
                "prices[1].source: required: where the price was taken from (the vendor's pricing page).",
                "prices[1].date: 'someday' is not a date (YYYY-MM-DD).",
            ],
            ex.Errors);
        Assert.StartsWith("Invalid price file many.yaml:\n  - extra:", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A valid first entry and a valid second entry with <paramref name="key"/> set to <paramref name="value"/>
    /// (removed when null), so the only error lands at prices[1].
    /// </summary>
    private static string TwoEntries(string key, string? value)
    {
        var second = new List<(string Key, string Value)> { ("model", "second"), ("input", "1"), ("output", "2"), ("source", "s"), ("date", "2025-01-01") };
        second.RemoveAll(f => f.Key == key);
        if (value is not null)
        {
            second.Add((key, value));
        }

        return "prices:\n  - { model: first, input: 1, output: 2, source: s, date: 2025-01-01 }\n  - "
            + string.Join("\n    ", second.Select(f => $"{f.Key}: {f.Value}")) + "\n";
    }
}
