namespace Switchyard.Limits;

/// <summary>
/// Counts what was admitted in the last minute, in 61 one-second buckets. A unit admitted during second
/// <c>s</c> is counted until second <c>s + 61</c> starts, so any 60-second span, wherever it starts,
/// sees every unit admitted in it: the limit holds over every rolling minute, at the cost of freeing
/// capacity up to one second late. Not thread-safe: the store serialises access.
/// </summary>
internal sealed class SlidingWindowCounter
{
    public const int Buckets = 61;

    private readonly long[] _counts = new long[Buckets];
    private readonly long[] _seconds = new long[Buckets];
    private long _last = long.MinValue;

    /// <summary>Units counted in the window ending at the last <see cref="Advance"/>.</summary>
    public long Total { get; private set; }

    /// <summary>Drops buckets that left the window; amortised O(1), since each second is dropped once.</summary>
    public void Advance(long second)
    {
        if (second <= _last)
        {
            return;
        }

        var from = _last == long.MinValue ? second - 60 - Buckets : Math.Max(_last - 60, second - 60 - Buckets);
        for (var s = from; s <= second - Buckets; s++)
        {
            var i = Index(s);
            if (_seconds[i] == s && _counts[i] != 0)
            {
                Total -= _counts[i];
                _counts[i] = 0;
            }
        }

        _last = second;
    }

    public void Add(long second, long amount)
    {
        var i = Index(second);
        if (_seconds[i] != second)
        {
            Total -= _counts[i];
            _seconds[i] = second;
            _counts[i] = 0;
        }

        _counts[i] += amount;
        Total += amount;
    }

    /// <summary>Corrects what was added in <paramref name="second"/> (an estimate replaced by the real amount), if it is still counted.</summary>
    public void Adjust(long second, long delta)
    {
        var i = Index(second);
        if (_seconds[i] != second || second <= _last - Buckets)
        {
            return;
        }

        var corrected = Math.Max(0, _counts[i] + delta);
        Total += corrected - _counts[i];
        _counts[i] = corrected;
    }

    /// <summary>How long until at least <paramref name="excess"/> units have left the window.</summary>
    public TimeSpan TimeUntilFreed(long excess, double nowSeconds)
    {
        var second = (long)Math.Floor(nowSeconds);
        long freed = 0;
        for (var s = second - 60; s <= second; s++)
        {
            var i = Index(s);
            if (_seconds[i] == s)
            {
                freed += _counts[i];
                if (freed >= excess)
                {
                    return TimeSpan.FromSeconds(s + Buckets - nowSeconds);
                }
            }
        }

        return TimeSpan.FromSeconds(second + Buckets - nowSeconds);
    }

    private static int Index(long second) => (int)(((second % Buckets) + Buckets) % Buckets);
}
