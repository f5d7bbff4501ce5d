using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;

namespace Switchyard.Identity;

/// <summary>
/// Slows down key guessing: each client address may fail authentication <c>auth.failed_auth_limit</c>
/// times per <c>auth.failed_auth_window</c> (a token bucket refilled evenly over the window); an address
/// with an empty bucket is refused with 429 before its key is even looked at, so a right guess made
/// while blocked tells the guesser nothing. Only a presented key that is refused (unknown, revoked,
/// expired, rotated out) or a refused dashboard sign-in takes a token; a missing key and a valid key
/// never do.
/// </summary>
/// <remarks>
/// Each bucket is one "theoretical arrival time" (GCRA): the instant at which the bucket would be full
/// again. A failure pushes it one token's worth of time later; the bucket is empty once it lies more than
/// a window minus one token ahead of now. Valid calls pay one volatile read while no address is blocked.
/// </remarks>
internal sealed partial class FailedAuthThrottle : IDisposable
{
    /// <summary>The <c>endpoint</c> tag of the metrics: the model API.</summary>
    public const string V1 = "v1";

    /// <summary>The <c>endpoint</c> tag of the metrics: <c>/api</c>, OTLP, scores, feedback, <c>/metrics</c>, <c>/health/ready</c>.</summary>
    public const string Api = "api";

    /// <summary>The <c>endpoint</c> tag of the metrics: the dashboard sign-in.</summary>
    public const string Ui = "ui";

    /// <summary>The error code of the 429 answers.</summary>
    public const string ErrorCode = "too_many_failed_authentications";

    /// <summary>Addresses tracked at most: enough for a botnet's worth of guessers, a few MB at most.</summary>
    public const int DefaultMaxTracked = 100_000;

    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _throttled;
    private readonly ITimer? _sweeper;
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly long _windowTicks;
    private readonly long _tokenTicks;
    private readonly int _maxTracked;

    // Kept by hand: ConcurrentDictionary.Count takes every lock of the table.
    private int _tracked;

    // Addresses whose bucket was empty when last looked at. While it is zero (the normal state) a valid
    // call does not even read its remote address. It may stay above zero after a bucket refills until
    // the address comes back or the sweep looks; that only costs a dictionary lookup.
    private volatile int _blocked;
    private int _fullWarned;
    private long _lastFullSweep;

    public FailedAuthThrottle(AuthOptions options, TimeProvider time, Meter meter, ILogger<FailedAuthThrottle> logger, int maxTracked = DefaultMaxTracked)
    {
        _time = time;
        _logger = logger;
        _limit = options.FailedAuthLimit;
        _window = options.FailedAuthWindow;
        _maxTracked = maxTracked;
        _failures = meter.CreateCounter<long>("switchyard.auth.failures", "{failure}", "Refused keys and sign-ins (unknown, revoked, expired or rotated-out key), by endpoint (v1, api, ui).");
        _throttled = meter.CreateCounter<long>("switchyard.auth.throttled", "{request}", "Requests answered 429 because their client address failed authentication too often, by endpoint (v1, api, ui).");
        if (_limit <= 0)
        {
            return;
        }

        _windowTicks = Math.Max(1, (long)(_window.TotalSeconds * time.TimestampFrequency));
        _tokenTicks = Math.Max(1, _windowTicks / _limit);

        // Full buckets are forgotten, so the table holds only addresses that failed recently. Sweeping at
        // least every minute also corrects a stale blocked count when a long window is configured.
        var period = _window < TimeSpan.FromMinutes(1) ? _window : TimeSpan.FromMinutes(1);
        _sweeper = time.CreateTimer(static state => ((FailedAuthThrottle)state!).Sweep(), this, period, period);
    }

    /// <summary>Addresses with a bucket that is not full.</summary>
    public int Tracked => Volatile.Read(ref _tracked);

    /// <summary>
    /// True when <paramref name="http"/>'s client address has no failures left: answer 429 with
    /// <c>Retry-After</c> of <paramref name="retryAfter"/> (when the next token is back) and check nothing else.
    /// </summary>
    public bool IsBlocked(HttpContext http, string endpoint, out TimeSpan retryAfter)
    {
        retryAfter = default;
        return _blocked != 0 && IsBlocked(http.Connection.RemoteIpAddress, endpoint, out retryAfter);
    }

    /// <inheritdoc cref="IsBlocked(HttpContext, string, out TimeSpan)"/>
    public bool IsBlocked(IPAddress? address, string endpoint, out TimeSpan retryAfter)
    {
        retryAfter = default;
        if (_blocked == 0 || address is null || !_buckets.TryGetValue(Normalise(address), out var bucket))
        {
            return false;
        }

        var now = _time.GetTimestamp();
        lock (bucket)
        {
            var wait = bucket.Tat - (now + _windowTicks - _tokenTicks);
            if (wait <= 0)
            {
                Unblock(bucket);
                return false;
            }

            retryAfter = TimeSpan.FromSeconds(wait / (double)_time.TimestampFrequency);
        }

        _throttled.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));
        return true;
    }

    /// <summary>Counts a refused key or sign-in from <paramref name="http"/>'s client address.</summary>
    public void RecordFailure(HttpContext http, string endpoint) => RecordFailure(http.Connection.RemoteIpAddress, endpoint);

    /// <inheritdoc cref="RecordFailure(HttpContext, string)"/>
    public void RecordFailure(IPAddress? address, string endpoint)
    {
        _failures.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));
        if (_limit <= 0 || address is null)
        {
            return;
        }

        address = Normalise(address);
        while (true)
        {
            var bucket = Find(address);
            if (bucket is null)
            {
                return;
            }

            var now = _time.GetTimestamp();
            lock (bucket)
            {
                if (bucket.Removed)
                {
                    // The sweep dropped it between the lookup and the lock: count on a fresh one.
                    continue;
                }

                bucket.Tat = Math.Max(bucket.Tat, now) + _tokenTicks;
                if (bucket.Tat - (now + _windowTicks - _tokenTicks) > 0 && !bucket.Blocked)
                {
                    bucket.Blocked = true;
                    Interlocked.Increment(ref _blocked);
                    if (!bucket.Warned)
                    {
                        // Once until the address has been quiet for a whole window, however it paces itself.
                        bucket.Warned = true;
                        Log.Blocked(_logger, address.ToString(), _limit, _window.TotalSeconds, endpoint);
                    }
                }
            }

            return;
        }
    }

    public void Dispose() => _sweeper?.Dispose();

    /// <summary>What a blocked API client is told.</summary>
    public static string Refusal(TimeSpan retryAfter) =>
        string.Create(CultureInfo.InvariantCulture, $"Too many failed authentications from this address; try again in {Seconds(retryAfter)} s.");

    /// <summary>Whole seconds, rounded up as <c>Retry-After</c> is, so a client that waits them is let in.</summary>
    public static long Seconds(TimeSpan retryAfter) => Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));

    /// <summary>One address, whatever the listener: an IPv4 client of a dual-stack socket shows as <c>::ffff:a.b.c.d</c>.</summary>
    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Forgets addresses whose bucket has refilled; runs on the timer and when the table is full.</summary>
    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (address, bucket) in _buckets)
        {
            lock (bucket)
            {
                if (bucket.Tat - (now + _windowTicks - _tokenTicks) <= 0)
                {
                    Unblock(bucket);
                }

                if (bucket.Tat > now)
                {
                    continue;
                }

                bucket.Removed = true;
            }

            if (_buckets.TryRemove(new KeyValuePair<IPAddress, Bucket>(address, bucket)))
            {
                Interlocked.Decrement(ref _tracked);
            }
        }

        if (Tracked < _maxTracked)
        {
            Volatile.Write(ref _fullWarned, 0);
        }
    }

    private Bucket? Find(IPAddress address)
    {
        if (_buckets.TryGetValue(address, out var bucket))
        {
            return bucket;
        }

        if (Tracked >= _maxTracked && !MakeRoom())
        {
            return null;
        }

        var fresh = new Bucket { Tat = _time.GetTimestamp() };
        bucket = _buckets.GetOrAdd(address, fresh);
        if (ReferenceEquals(bucket, fresh))
        {
            Interlocked.Increment(ref _tracked);
        }

        return bucket;
    }

    /// <summary>
    /// Sweeps a full table, at most once a second: under a flood from more addresses than fit, sweeping on
    /// every failure would cost more than the guesses. Addresses that do not fit are not throttled (their
    /// failures are still counted): forgetting a blocked address instead would let a guesser unblock
    /// itself by failing from enough others.
    /// </summary>
    private bool MakeRoom()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastFullSweep);
        if (now - last >= _time.TimestampFrequency && Interlocked.CompareExchange(ref _lastFullSweep, now, last) == last)
        {
            Sweep();
        }

        if (Tracked < _maxTracked)
        {
            return true;
        }

        if (Interlocked.Exchange(ref _fullWarned, 1) == 0)
        {
            Log.Full(_logger, _maxTracked);
        }

        return false;
    }

    private void Unblock(Bucket bucket)
    {
        if (bucket.Blocked)
        {
            bucket.Blocked = false;
            Interlocked.Decrement(ref _blocked);
        }
    }

    private sealed class Bucket
    {
        /// <summary>When the bucket is full again, in <see cref="TimeProvider.GetTimestamp"/> ticks.</summary>
        public long Tat;

        public bool Blocked;

        public bool Warned;

        public bool Removed;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Client {Address} failed authentication {Limit} times within {WindowSeconds} s (last on {Endpoint}); it is answered 429 until its allowance refills")]
        public static partial void Blocked(ILogger logger, string address, int limit, double windowSeconds, string endpoint);

        [LoggerMessage(2, LogLevel.Warning, "Failed authentications come from more than {Max} client addresses at once; failures from further addresses are counted but not throttled until some refill")]
        public static partial void Full(ILogger logger, int max);
    }
}
