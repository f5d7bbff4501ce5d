namespace Switchyard.Chaos;

/// <summary>
/// Lock-free latency histogram for long runs: microseconds, exact below 256 µs, then 128 buckets per
/// power of two (under 1 % error), so millions of calls cost a fixed few kilobytes.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Exact = 256;
    private const int SubBits = 7;
    private const int Sub = 1 << SubBits;
    private const int MaxExponent = 40; // 2^40 µs is about 12 days
    private readonly long[] _buckets = new long[Exact + ((MaxExponent - 8 + 1) * Sub)];
    private long _count;
    private long _maxMicros;

    public long Count => Interlocked.Read(ref _count);

    public double MaxMs => Interlocked.Read(ref _maxMicros) / 1000.0;

    public void Record(double ms)
    {
        var us = (long)Math.Clamp(ms * 1000, 0, (1L << MaxExponent) - 1);
        Interlocked.Increment(ref _buckets[Index(us)]);
        Interlocked.Increment(ref _count);
        var max = Interlocked.Read(ref _maxMicros);
        while (us > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxMicros, us, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The <paramref name="p"/> quantile in milliseconds (bucket midpoint), NaN when empty.</summary>
    public double Percentile(double p)
    {
        var count = Count;
        if (count == 0)
        {
            return double.NaN;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(p * count));
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                return Math.Min(Midpoint(i), Interlocked.Read(ref _maxMicros)) / 1000.0;
            }
        }

        return MaxMs;
    }

    private static int Index(long us)
    {
        if (us < Exact)
        {
            return (int)us;
        }

        var exponent = 63 - (int)long.LeadingZeroCount(us); // >= 8
        var mantissa = (int)((us >> (exponent - SubBits)) & (Sub - 1));
        return Exact + ((exponent - 8) * Sub) + mantissa;
    }

    private static double Midpoint(int index)
    {
        if (index < Exact)
        {
            return index;
        }

        var exponent = ((index - Exact) / Sub) + 8;
        var mantissa = (index - Exact) % Sub;
        var width = 1L << (exponent - SubBits);
        var low = (1L << exponent) + (mantissa * width);
        return low + (width / 2.0);
    }
}
