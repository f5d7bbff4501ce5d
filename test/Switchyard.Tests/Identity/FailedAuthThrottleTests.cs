using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Configuration;
using Switchyard.Identity;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Identity;

/// <summary>The per-address allowance of failed authentications, on a fake clock.</summary>
public sealed class FailedAuthThrottleTests : IDisposable
{
    private static readonly IPAddress s_guesser = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress s_other = IPAddress.Parse("198.51.100.1");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly Meter _meter = new("Switchyard.Tests.FailedAuthThrottle");
    private readonly ListLogger<FailedAuthThrottle> _log = new();

    public void Dispose() => _meter.Dispose();

    [Fact]
    public void The_allowance_is_spent_then_blocks_until_one_token_is_back()
    {
        using var throttle = Throttle(limit: 10, window: TimeSpan.FromMinutes(1));
        for (var i = 0; i < 10; i++)
        {
            Assert.False(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out _), $"blocked after {i} failures");
            throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
        }

        Assert.True(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out var retry));
        Assert.Equal(TimeSpan.FromSeconds(6), retry);
        Assert.False(throttle.IsBlocked(s_other, FailedAuthThrottle.V1, out _));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out retry));
        Assert.Equal(TimeSpan.FromSeconds(1), retry);

        // One token back: one more guess, then blocked again.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out _));
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
        Assert.True(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out retry));
        Assert.Equal(TimeSpan.FromSeconds(6), retry);

        // A whole window later the allowance is whole again.
        _time.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 10; i++)
        {
            Assert.False(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out _), $"blocked after {i} failures");
            throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
        }

        Assert.True(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out _));
    }

    [Fact]
    public void An_IPv4_client_is_one_address_whether_or_not_it_arrives_IPv4_mapped()
    {
        using var throttle = Throttle(limit: 2, window: TimeSpan.FromMinutes(1));
        throttle.RecordFailure(s_guesser.MapToIPv6(), FailedAuthThrottle.Api);
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.Api);

        Assert.True(throttle.IsBlocked(s_guesser, FailedAuthThrottle.Api, out _));
        Assert.True(throttle.IsBlocked(s_guesser.MapToIPv6(), FailedAuthThrottle.Api, out _));
        Assert.Equal(1, throttle.Tracked);
    }

    [Fact]
    public void A_limit_of_zero_never_blocks_but_still_counts_failures()
    {
        using var throttle = Throttle(limit: 0, window: TimeSpan.FromMinutes(1));
        using var failures = Measure("switchyard.auth.failures");
        for (var i = 0; i < 100; i++)
        {
            throttle.RecordFailure(s_guesser, FailedAuthThrottle.Ui);
        }

        Assert.False(throttle.IsBlocked(s_guesser, FailedAuthThrottle.Ui, out _));
        Assert.Equal(0, throttle.Tracked);
        Assert.Equal(100, failures.Total("ui"));
    }

    [Fact]
    public void Failures_and_throttled_requests_are_counted_by_endpoint()
    {
        using var throttle = Throttle(limit: 3, window: TimeSpan.FromMinutes(1));
        using var failures = Measure("switchyard.auth.failures");
        using var throttled = Measure("switchyard.auth.throttled");
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.Api);
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.Ui);
        throttle.IsBlocked(s_guesser, FailedAuthThrottle.Api, out _);
        throttle.IsBlocked(s_guesser, FailedAuthThrottle.Api, out _);
        throttle.IsBlocked(s_other, FailedAuthThrottle.Api, out _);

        Assert.Equal(1, failures.Total("v1"));
        Assert.Equal(1, failures.Total("api"));
        Assert.Equal(1, failures.Total("ui"));
        Assert.Equal(2, throttled.Total("api"));
        Assert.Equal(0, throttled.Total("v1"));
    }

    [Fact]
    public void A_blocked_address_is_logged_once_however_it_paces_its_guesses()
    {
        using var throttle = Throttle(limit: 2, window: TimeSpan.FromMinutes(1));
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
        for (var i = 0; i < 5; i++)
        {
            // One guess each time a token comes back: blocked again every time, logged only the first.
            _time.Advance(TimeSpan.FromSeconds(30));
            Assert.False(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out _));
            throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
            Assert.True(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out _));
        }

        var line = Assert.Single(_log.Lines);
        Assert.StartsWith("Warning: Client 203.0.113.7 failed authentication 2 times within 60 s (last on v1)", line, StringComparison.Ordinal);

        // Quiet for a whole window: forgotten, so a new episode is logged again.
        _time.Advance(TimeSpan.FromMinutes(2));
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.Api);
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.Api);
        Assert.Equal(2, _log.Lines.Count);
    }

    [Fact]
    public void Refilled_addresses_are_forgotten_by_the_sweep()
    {
        using var throttle = Throttle(limit: 10, window: TimeSpan.FromMinutes(1));
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
        for (var i = 0; i < 10; i++)
        {
            throttle.RecordFailure(s_other, FailedAuthThrottle.V1);
        }

        Assert.Equal(2, throttle.Tracked);

        // The timer sweeps every window; by then both buckets are full again.
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, throttle.Tracked);
        Assert.False(throttle.IsBlocked(s_other, FailedAuthThrottle.V1, out _));
    }

    [Fact]
    public void The_table_is_bounded_and_keeps_blocked_addresses_when_full()
    {
        using var throttle = Throttle(limit: 2, window: TimeSpan.FromMinutes(1), maxTracked: 3);
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
        for (var i = 1; i <= 5; i++)
        {
            throttle.RecordFailure(IPAddress.Parse($"10.0.0.{i}"), FailedAuthThrottle.V1);
        }

        Assert.Equal(3, throttle.Tracked);
        Assert.True(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out _));
        Assert.Contains(_log.Lines, l => l.Contains("more than 3 client addresses", StringComparison.Ordinal));

        // Untracked addresses are not throttled; once some buckets refill, new addresses fit again.
        throttle.RecordFailure(IPAddress.Parse("10.0.0.5"), FailedAuthThrottle.V1);
        Assert.False(throttle.IsBlocked(IPAddress.Parse("10.0.0.5"), FailedAuthThrottle.V1, out _));
        _time.Advance(TimeSpan.FromSeconds(31));
        throttle.RecordFailure(IPAddress.Parse("10.0.0.5"), FailedAuthThrottle.V1);
        throttle.RecordFailure(IPAddress.Parse("10.0.0.5"), FailedAuthThrottle.V1);
        Assert.True(throttle.IsBlocked(IPAddress.Parse("10.0.0.5"), FailedAuthThrottle.V1, out _));
    }

    [Fact]
    public void Concurrent_failures_from_many_threads_take_exactly_the_allowance()
    {
        using var throttle = Throttle(limit: 1000, window: TimeSpan.FromHours(1));
        Parallel.For(0, 999, _ => throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1));
        Assert.False(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out _));
        throttle.RecordFailure(s_guesser, FailedAuthThrottle.V1);
        Assert.True(throttle.IsBlocked(s_guesser, FailedAuthThrottle.V1, out _));
    }

    private FailedAuthThrottle Throttle(int limit, TimeSpan window, int maxTracked = FailedAuthThrottle.DefaultMaxTracked) =>
        new(new AuthOptions { FailedAuthLimit = limit, FailedAuthWindow = window }, _time, _meter, _log, maxTracked);

    private Measurements Measure(string instrument) => new(_meter, instrument);

    /// <summary>Sums one instrument's measurements by their <c>endpoint</c> tag.</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly Dictionary<string, long> _totals = [];
        private readonly MeterListener _listener = new();

        public Measurements(Meter meter, string instrument)
        {
            var listener = _listener;
            listener.InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i.Meter, meter) && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "endpoint")
                    {
                        lock (_totals)
                        {
                            _totals[(string)tag.Value!] = Total((string)tag.Value!) + value;
                        }
                    }
                }
            });
            listener.Start();
        }

        public void Dispose() => _listener.Dispose();

        public long Total(string endpoint)
        {
            lock (_totals)
            {
                return _totals.GetValueOrDefault(endpoint);
            }
        }
    }
}
