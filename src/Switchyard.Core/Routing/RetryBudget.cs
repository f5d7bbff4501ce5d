using Switchyard.Configuration;

namespace Switchyard.Routing;

/// <summary>
/// Caps a model group's retries at a share of its calls over a sliding window (plus a small floor per
/// second), as Finagle and Envoy do: when a provider is down every call fails, and unbounded retries
/// would multiply the load on it exactly when it can least take it.
/// </summary>
/// <remarks>One bucket per second in a ring; a call touches one bucket, a retry sums the window.</remarks>
internal sealed class RetryBudget
{
    private readonly TimeProvider _time;
    private readonly double _ratio;
    private readonly long _floor;
    private readonly Bucket[] _buckets;
    private readonly Lock _lock = new();

    public RetryBudget(RetryBudgetOptions options, TimeProvider time)
    {
        _time = time;
        _ratio = options.Ratio;
        var seconds = Math.Max(1, (int)Math.Ceiling(options.Window.TotalSeconds));
        _floor = (long)options.MinPerSecond * seconds;
        _buckets = new Bucket[seconds];
    }

    /// <summary>Counts a call entering the group.</summary>
    public void OnCall()
    {
        var second = _time.GetUtcNow().ToUnixTimeSeconds();
        lock (_lock)
        {
            Current(second).Calls++;
        }
    }

    /// <summary>Takes one retry from the budget; false when the window's retries are spent.</summary>
    public bool TryRetry()
    {
        var second = _time.GetUtcNow().ToUnixTimeSeconds();
        lock (_lock)
        {
            long calls = 0, retries = 0;
            foreach (ref var bucket in _buckets.AsSpan())
            {
                if (second - bucket.Second < _buckets.Length)
                {
                    calls += bucket.Calls;
                    retries += bucket.Retries;
                }
            }

            if (retries >= _floor + (long)(_ratio * calls))
            {
                return false;
            }

            Current(second).Retries++;
            return true;
        }
    }

    private ref Bucket Current(long second)
    {
        ref var bucket = ref _buckets[(int)(second % _buckets.Length)];
        if (bucket.Second != second)
        {
            bucket = new Bucket { Second = second };
        }

        return ref bucket;
    }

    private struct Bucket
    {
        public long Second;
        public long Calls;
        public long Retries;
    }
}
