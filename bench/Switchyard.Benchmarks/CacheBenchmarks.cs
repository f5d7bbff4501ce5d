using System.Buffers;
using BenchmarkDotNet.Attributes;
using Switchyard.Caching;

namespace Switchyard.Benchmarks;

/// <summary>
/// What an exact-cache hit costs before the answer is written: the canonical-body SHA-256 key of a
/// typical chat request, the store lookup among 100,000 entries, and (for a streaming client) building
/// the SSE stream from the stored completion. Baseline: hashing the raw body bytes, the least any
/// exact cache must do.
/// </summary>
public class CacheBenchmarks
{
    private static readonly byte[] s_completion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_up","choices":[{"index":0,"message":{"role":"assistant","content":"Paris is the capital of France. It has been the seat of government for centuries."},"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":18,"total_tokens":42}}
        """u8.ToArray();

    private InMemoryCacheStore _store = null!;
    private CacheKey _present;
    private Switchyard.Caching.Semantic.VectorIndex _index = null!;
    private CacheKey _scope;
    private float[] _probe = [];

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        _store = new InMemoryCacheStore(time, 200_000, 1L << 34);
        for (var i = 0; i < 100_000; i++)
        {
            var key = CacheKey.Compute("key:k", "gpt-4o", "ChatCompletions", System.Text.Encoding.UTF8.GetBytes($$"""{"model":"gpt-4o","messages":[{"role":"user","content":"question {{i}}"}]}"""))!.Value;
            _store.Set(new CacheEntry { Key = key, Space = "key:k", ModelGroup = "gpt-4o", Body = s_completion, Created = time.GetUtcNow(), Expires = time.GetUtcNow().AddDays(1) });
            if (i == 50_000)
            {
                _present = key;
            }
        }

        // The semantic index's worst case: 100,000 vectors (384 dimensions, as all-MiniLM-L6-v2) in one scope.
        var random = new Random(1);
        _index = new Switchyard.Caching.Semantic.VectorIndex(384);
        _scope = CacheKey.Compute("scope", "gpt-4o", "ChatCompletions", "{}"u8)!.Value;
        for (var i = 0; i < 100_000; i++)
        {
            _index.Add(_scope, CacheKey.Compute("v", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "x", "{}"u8)!.Value, Unit(random));
        }

        _probe = Unit(random);
    }

    private static float[] Unit(Random random)
    {
        var v = new float[384];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (random.NextSingle() * 2) - 1;
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    [Benchmark(Baseline = true, Description = "SHA-256 of the raw body")]
    public byte[] HashRaw() => System.Security.Cryptography.SHA256.HashData(Payloads.SmallRequest);

    [Benchmark(Description = "cache key: canonical body + SHA-256")]
    public bool Key() => CacheKey.Compute("key:k", "gpt-4o", "ChatCompletions", Payloads.SmallRequest).HasValue;

    [Benchmark(Description = "lookup among 100,000 entries")]
    public bool Lookup() => _store.TryGet(_present) is not null;

    [Benchmark(Description = "semantic index: nearest of 100,000 in one scope (sign-bit prefilter, int8 rescoring)")]
    public float Nearest() => _index.Nearest(_scope, _probe, 0.85f, 4) is [var best, ..] ? best.Similarity : 0;

    [Benchmark(Description = "SSE stream from a stored completion")]
    public int Stream()
    {
        var output = new ArrayBufferWriter<byte>(2048);
        CachedReplay.WriteChatStream(s_completion, includeUsage: true, output);
        return output.WrittenCount;
    }
}
