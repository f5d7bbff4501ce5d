using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Switchyard.Providers.Sandbox;

/// <summary>
/// SplitMix64 generator seeded from a request. Our own algorithm rather than <see cref="Random"/>, whose
/// sequence for a given seed is not a contract, so the same request keeps the same answer across runtimes.
/// Not thread-safe: one instance per answer.
/// </summary>
internal sealed class SandboxRandom
{
    private ulong _state;

    public SandboxRandom(ulong seed) => _state = seed;

    /// <summary>A generator seeded by the whole request body and the deployment's seed.</summary>
    public static SandboxRandom FromBody(ReadOnlySpan<byte> body, int seed)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> seedBytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(seedBytes, seed);
        hash.AppendData(seedBytes);
        hash.AppendData(body);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return new SandboxRandom(BinaryPrimitives.ReadUInt64LittleEndian(digest));
    }

    /// <summary>A generator seeded by a text and a seed, for embeddings.</summary>
    public static SandboxRandom FromText(string text, int seed)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return FromBody(bytes, seed);
    }

    /// <summary>An independent generator for sub-answer <paramref name="index"/> (one per choice).</summary>
    public SandboxRandom Fork(int index) => new(Mix(_state ^ (0xD1B54A32D192ED03UL * (ulong)(index + 1))));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A value in [0, <paramref name="maxExclusive"/>); the modulo bias is negligible for small ranges.</summary>
    public int Next(int maxExclusive) => maxExclusive <= 1 ? 0 : (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>A value in [<paramref name="min"/>, <paramref name="maxInclusive"/>].</summary>
    public long NextInclusive(long min, long maxInclusive)
    {
        if (maxInclusive <= min)
        {
            return min;
        }

        ulong range = (ulong)(maxInclusive - min) + 1;
        return range == 0 ? (long)NextUInt64() : min + (long)(NextUInt64() % range);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool NextBool() => (NextUInt64() & 1) == 0;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
