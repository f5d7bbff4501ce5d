using Switchyard.Embeddings;
using Switchyard.Guardrails.Groundedness;
using Xunit;

namespace Switchyard.Tests.Guardrails.Output;

/// <summary>
/// Sentences split around abbreviations and decimals; numbers, dates and names checked against the
/// context; short sentences and questions skipped; similarity through a fake embedding and the real model.
/// </summary>
public sealed class GroundednessCheckerTests
{
    private const string Report = """
        Acme Rockets reported revenue of $1,000,000 in fiscal 2023, up 12.5% from the year before.
        The new engine, called Falcon Nine, was tested on January 15, 2024 at the Mojave site.
        Chief engineer Marie Curie said the test lasted 42 seconds.
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<string> Sentences(string text) =>
        SentenceSplitter.Split(text, 100).Select(s => text.Substring(s.Start, s.Length)).ToList();

    [Fact]
    public void Sentences_split_around_abbreviations_initials_decimals_and_line_breaks()
    {
        var text = "Dr. Smith met J. Doe, e.g. at the U.S. office. It cost 3.5 dollars! Was it worth it? Yes.\n1. First item\n- Second item";
        Assert.Equal(
            ["Dr. Smith met J. Doe, e.g. at the U.S. office.", "It cost 3.5 dollars!", "Was it worth it?", "Yes.", "1. First item", "- Second item"],
            Sentences(text));
    }

    [Fact]
    public async Task Numbers_in_the_context_are_supported_whatever_their_format()
    {
        var answer = "Revenue was 1000000 dollars in 2023. Revenue grew by 12.50 percent that year. The test lasted exactly 42 seconds.";
        var report = await new GroundednessChecker().CheckAsync([Report], answer, Ct);

        Assert.Equal(3, report.Sentences.Count);
        Assert.All(report.Sentences, s => Assert.True(s.Supported, string.Join("; ", s.Reasons)));
        Assert.Equal(0, report.UnsupportedShare);
    }

    [Fact]
    public async Task A_number_not_in_the_context_is_unsupported_with_its_reason()
    {
        var answer = "Revenue was $1,500,000 in fiscal 2023. The test lasted exactly 42 seconds.";
        var report = await new GroundednessChecker().CheckAsync([Report], answer, Ct);

        Assert.False(report.Sentences[0].Supported);
        Assert.Equal(["number 1500000 not in context"], report.Sentences[0].Reasons);
        Assert.Equal("Revenue was $1,500,000 in fiscal 2023.", answer.Substring(report.Sentences[0].Start, report.Sentences[0].Length));
        Assert.True(report.Sentences[1].Supported);
        Assert.Equal(0.5, report.UnsupportedShare);
    }

    [Fact]
    public async Task Dates_match_across_formats()
    {
        var checker = new GroundednessChecker();
        var supported = await checker.CheckAsync([Report], "The engine was tested on 2024-01-15 in the desert.", Ct);
        var wrong = await checker.CheckAsync([Report], "The engine was tested on 16 January 2024 in the desert.", Ct);

        Assert.True(Assert.Single(supported.Sentences).Supported);
        Assert.Equal(["date 16 January 2024 not in context"], Assert.Single(wrong.Sentences).Reasons);
    }

    [Fact]
    public async Task Names_must_come_from_the_context()
    {
        var checker = new GroundednessChecker();
        var answer = "However, Marie Curie led the Falcon Nine test. The test was watched by Elon Tesla at the site. Einstein approved the engine design.";
        var report = await checker.CheckAsync([Report], answer, Ct);

        Assert.True(report.Sentences[0].Supported, string.Join("; ", report.Sentences[0].Reasons));
        Assert.Equal(["name Elon Tesla not in context"], report.Sentences[1].Reasons);
        Assert.Equal(["name Einstein not in context"], report.Sentences[2].Reasons);
    }

    [Fact]
    public async Task Short_sentences_and_questions_are_skipped()
    {
        var report = await new GroundednessChecker().CheckAsync([Report], "Sure thing. Did you know it lasted 99 seconds? Great.", Ct);

        Assert.Empty(report.Sentences);
        Assert.Equal(3, report.Skipped);
        Assert.Equal(0, report.UnsupportedShare);
    }

    [Fact]
    public async Task Similarity_below_the_threshold_is_unsupported()
    {
        var checker = new GroundednessChecker(FakeEmbeddings.EmbedAsync, similarityThreshold: 0.5);
        var answer = "The new engine was tested at the Mojave site. Most bananas are a popular yellow fruit worldwide.";
        var report = await checker.CheckAsync([Report], answer, Ct);

        Assert.True(report.Sentences[0].Supported, string.Join("; ", report.Sentences[0].Reasons));
        Assert.True(report.Sentences[0].Similarity >= 0.5);
        Assert.False(report.Sentences[1].Supported);
        Assert.StartsWith("similarity 0.", Assert.Single(report.Sentences[1].Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_embedding_function_means_no_similarity()
    {
        var report = await new GroundednessChecker().CheckAsync([Report], "Most bananas are a popular yellow fruit worldwide.", Ct);
        var sentence = Assert.Single(report.Sentences);
        Assert.True(sentence.Supported);
        Assert.Null(sentence.Similarity);
    }

    [Fact]
    public async Task The_real_model_tells_a_supported_sentence_from_an_unrelated_one()
    {
        var checker = new GroundednessChecker((texts, ct) => Task.FromResult(MiniLmEmbedder.Shared.EmbedBatch(texts, ct)));
        var answer = "Marie Curie said the engine test lasted 42 seconds. My favourite pasta recipe uses fresh basil and garlic.";
        var report = await checker.CheckAsync([Report], answer, Ct);

        Assert.True(report.Sentences[0].Supported, string.Join("; ", report.Sentences[0].Reasons));
        Assert.False(report.Sentences[1].Supported);
        Assert.StartsWith("similarity", Assert.Single(report.Sentences[1].Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sentences_past_the_cap_are_skipped_and_a_megabyte_answer_is_bounded()
    {
        var answer = string.Concat(Enumerable.Repeat("The test lasted exactly 42 seconds at the site. ", 25_000));
        Assert.True(answer.Length > GroundednessChecker.MaxChars);

        var report = await new GroundednessChecker().CheckAsync([Report], answer, Ct);

        Assert.Equal(GroundednessChecker.MaxSentences, report.Sentences.Count);
        Assert.True(report.Skipped > 0);
    }

    [Fact]
    public async Task Hostile_unicode_does_not_throw()
    {
        var answer = "\uD800 The \u202E test lasted 42 seconds \uDC00 at the site.\u200B Ｆａｌｃｏｎ Ｎｉｎｅ was tested there again.";
        var report = await new GroundednessChecker(FakeEmbeddings.EmbedAsync).CheckAsync([Report, "", "\uDFFF"], answer, Ct);
        Assert.NotEmpty(report.Sentences);
    }
}
