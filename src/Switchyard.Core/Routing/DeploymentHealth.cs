using Switchyard.Providers;

namespace Switchyard.Routing;

/// <summary>
/// What the gateway has learned about one deployment while serving: calls in flight, moving averages of
/// latency and time to first token, the rate-limit headroom its upstream reported, a cool-down after a
/// 429 with <c>Retry-After</c>, its breaker and its last health check.
/// </summary>
/// <remarks>
/// The averages are updated without a lock: a lost update under a race only skips one sample of a
/// moving average, which is cheaper than contending on every call.
/// </remarks>
internal sealed class DeploymentHealth(DeploymentBreaker breaker)
{
    /// <summary>Weight of the newest sample in the moving averages.</summary>
    private const double Alpha = 0.2;

    /// <summary>Rate-limit figures older than this, with no reset time given, are no longer trusted.</summary>
    private static readonly TimeSpan s_headroomMaxAge = TimeSpan.FromSeconds(60);

    private int _inFlight;
    private double _latencyMs = double.NaN;
    private double _firstTokenMs = double.NaN;
    private long _cooldownUntilTicks;
    private double _headroom = double.NaN;
    private long _headroomValidUntilTicks;

    public DeploymentBreaker Breaker { get; } = breaker;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Moving average of whole-call latency of plain calls, in ms; NaN before the first.</summary>
    public double LatencyMs => Volatile.Read(ref _latencyMs);

    /// <summary>Moving average of time to first byte of streams, in ms; NaN before the first.</summary>
    public double FirstTokenMs => Volatile.Read(ref _firstTokenMs);

    public DateTimeOffset CooldownUntil => new(Interlocked.Read(ref _cooldownUntilTicks), TimeSpan.Zero);

    /// <summary>Last health check: when, and the error if it failed. A reference, so a reader never sees half a write.</summary>
    public HealthCheckResult? LastCheck { get; set; }

    public int ConsecutiveCheckFailures { get; set; }

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    public void ObserveLatency(TimeSpan latency) => _latencyMs = Average(_latencyMs, latency.TotalMilliseconds);

    public void ObserveFirstToken(TimeSpan firstToken) => _firstTokenMs = Average(_firstTokenMs, firstToken.TotalMilliseconds);

    /// <summary>The upstream asked for a pause (429 or 503 with <c>Retry-After</c>): other calls avoid it until then.</summary>
    public void CoolDown(DateTimeOffset until)
    {
        var ticks = until.UtcTicks;
        var current = Interlocked.Read(ref _cooldownUntilTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _cooldownUntilTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public bool CoolingDown(DateTimeOffset now) => now.UtcTicks < Interlocked.Read(ref _cooldownUntilTicks);

    /// <summary>Whether routing may pick this deployment now.</summary>
    public bool Available(DateTimeOffset now) => !CoolingDown(now) && Breaker.Admits(now);

    public void ObserveRateLimit(RateLimitHeadroom limits, DateTimeOffset now)
    {
        if (limits.Fraction is not { } fraction)
        {
            return;
        }

        Volatile.Write(ref _headroom, fraction);
        Interlocked.Exchange(ref _headroomValidUntilTicks, (now + (limits.ResetIn is { } reset && reset < s_headroomMaxAge ? reset : s_headroomMaxAge)).UtcTicks);
    }

    /// <summary>The share of the upstream's rate limit left (0–1); 1 when unknown or out of date.</summary>
    public double Headroom(DateTimeOffset now) =>
        now.UtcTicks < Interlocked.Read(ref _headroomValidUntilTicks) && Volatile.Read(ref _headroom) is var h && !double.IsNaN(h) ? h : 1.0;

    private static double Average(double current, double sample) => double.IsNaN(current) ? sample : current + (Alpha * (sample - current));
}
