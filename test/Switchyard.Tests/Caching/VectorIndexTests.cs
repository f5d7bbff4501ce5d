using Switchyard.Caching;
using Switchyard.Caching.Semantic;
using Xunit;

namespace Switchyard.Tests.Caching;

public sealed class VectorIndexTests
{
    private const int Dimensions = 384;

    [Fact]
    public void Quantized_dot_products_stay_within_a_hundredth_of_the_float_cosine()
    {
        var random = new Random(7);
        Span<sbyte> qa = stackalloc sbyte[Dimensions];
        Span<sbyte> qb = stackalloc sbyte[Dimensions];
        for (var trial = 0; trial < 200; trial++)
        {
            var a = Unit(random);
            var b = Blend(a, Unit(random), random.NextSingle());
            var exact = a.Zip(b).Sum(p => p.First * p.Second);
            var sa = QuantizedVectors.Quantize(a, qa);
            var sb = QuantizedVectors.Quantize(b, qb);
            var approx = QuantizedVectors.Dot(qa, qb) * sa * sb;
            Assert.InRange(approx - exact, -0.01f, 0.01f);
        }
    }

    [Fact]
    public void Dot_agrees_with_a_plain_loop_for_every_length()
    {
        var random = new Random(3);
        for (var length = 0; length < 100; length++)
        {
            var a = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            var b = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            Assert.Equal(a.Zip(b).Sum(p => p.First * p.Second), QuantizedVectors.Dot(a, b));
        }
    }

    [Fact]
    public void Nearest_finds_the_closest_vector_of_its_own_scope_only()
    {
        var random = new Random(11);
        var index = new VectorIndex(Dimensions);
        var scopeA = Key("scope-a");
        var scopeB = Key("scope-b");
        var vectors = Enumerable.Range(0, 500).Select(_ => Unit(random)).ToArray();
        for (var i = 0; i < vectors.Length; i++)
        {
            index.Add(scopeA, Key("a" + i), vectors[i]);
        }

        var target = vectors[123];
        index.Add(scopeB, Key("b"), target); // identical, but in another scope
        var probe = Blend(target, Unit(random), 0.2f);
        var nearest = index.Nearest(scopeA, probe, -1, 1)[0];
        Assert.Equal(Key("a123"), nearest.Entry);
        var exact = target.Zip(probe).Sum(p => p.First * p.Second);
        Assert.InRange(nearest.Similarity, exact - 0.01f, exact + 0.01f);
        Assert.Empty(index.Nearest(Key("scope-c"), probe, -1, 1));
        Assert.Equal(501, index.Count);

        index.Remove(scopeA, Key("a123"));
        Assert.NotEqual(Key("a123"), index.Nearest(scopeA, probe, -1, 1)[0].Entry);
        Assert.Equal(500, index.Count);
        index.Remove(scopeB, Key("b"));
        Assert.Empty(index.Nearest(scopeB, probe, -1, 1));
    }

    [Fact]
    public void A_large_scope_still_finds_every_planted_neighbour_above_the_threshold_best_first()
    {
        // Beyond the shortlist the sign-bit prefilter ranks the scope; neighbours at 0.8 and above must
        // survive it among 20,000 others, and come back best first, each once.
        var random = new Random(5);
        var index = new VectorIndex(Dimensions);
        var scope = Key("big");
        for (var i = 0; i < 20_000; i++)
        {
            index.Add(scope, Key("noise" + i), Unit(random));
        }

        for (var trial = 0; trial < 20; trial++)
        {
            var target = Unit(random);
            var near = Blend(target, Unit(random), 0.25f);
            var nearer = Blend(target, Unit(random), 0.1f);
            index.Add(scope, Key($"near{trial}"), near);
            index.Add(scope, Key($"nearer{trial}"), nearer);
            var matches = index.Nearest(scope, target, 0.8f, 5);
            Assert.Equal([Key($"nearer{trial}"), Key($"near{trial}")], matches.Select(m => m.Entry));
            Assert.True(matches[0].Similarity >= matches[1].Similarity);
        }

        Assert.Equal(20_040, index.Count);
        Assert.Single(index.Nearest(scope, Unit(random), -1, 1));
    }

    private static CacheKey Key(string name) => CacheKey.Compute(name, "g", "chat", "{}"u8)!.Value;

    private static float[] Unit(Random random)
    {
        var v = Enumerable.Range(0, Dimensions).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static float[] Blend(float[] a, float[] b, float t)
    {
        var v = a.Zip(b, (x, y) => ((1 - t) * x) + (t * y)).ToArray();
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }
}
