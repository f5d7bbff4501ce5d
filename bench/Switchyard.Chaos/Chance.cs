namespace Switchyard.Chaos;

/// <summary>
/// Reproducible draws without shared state: the value for (seed, stream, index) is a hash, so concurrent
/// calls need no lock and the same seed gives the same fault pattern in call order.
/// </summary>
internal static class Chance
{
    /// <summary>A number in [0, 1).</summary>
    public static double Unit(long seed, long stream, long index)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xD1B54A32D192ED03UL ^ (ulong)index);
        return (Mix(x) >> 11) * (1.0 / (1UL << 53));
    }

    // SplitMix64 finaliser: a well-mixed 64-bit value from any input.
    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
