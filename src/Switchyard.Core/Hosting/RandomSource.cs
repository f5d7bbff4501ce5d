namespace Switchyard.Hosting;

/// <summary>
/// The one source of randomness for routing, sampling, jitter and the sandbox, injected like
/// <see cref="TimeProvider"/> so tests can seed it and get the same draws every run. Thread-safe.
/// (Secrets and ids use <see cref="System.Security.Cryptography.RandomNumberGenerator"/>, never this.)
/// </summary>
internal class RandomSource
{
    /// <summary>The process-wide source: <see cref="Random.Shared"/>, which is already thread-safe.</summary>
#pragma warning disable RS0030 // the one place Random.Shared is allowed: everything else asks for a RandomSource
    public static readonly RandomSource Shared = new(Random.Shared, null);
#pragma warning restore RS0030

    private readonly Random _random;
    private readonly Lock? _lock;

    private RandomSource(Random random, Lock? gate)
    {
        _random = random;
        _lock = gate;
    }

    /// <summary>A reproducible source for tests: the same seed gives the same draws.</summary>
    public static RandomSource Seeded(int seed) => new(new Random(seed), new Lock());

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble()
    {
        if (_lock is null)
        {
            return _random.NextDouble();
        }

        lock (_lock)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>An integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        if (_lock is null)
        {
            return _random.Next(maxExclusive);
        }

        lock (_lock)
        {
            return _random.Next(maxExclusive);
        }
    }

    /// <summary>A long in [0, <paramref name="maxExclusive"/>).</summary>
    public long NextInt64(long maxExclusive)
    {
        if (_lock is null)
        {
            return _random.NextInt64(maxExclusive);
        }

        lock (_lock)
        {
            return _random.NextInt64(maxExclusive);
        }
    }
}
