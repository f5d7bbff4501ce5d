using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Switchyard.Configuration;

namespace Switchyard.Routing;

/// <summary>
/// One deployment's circuit breaker: Polly's breaker (failure ratio over a sliding window, minimum
/// throughput, break duration, one half-open probe) around every attempt, plus its manual control for
/// health checks. Routing asks <see cref="Admits"/> before picking the deployment, so an open breaker
/// takes it out of balancing instead of failing calls that picked it.
/// </summary>
internal sealed partial class DeploymentBreaker
{
    private readonly ResiliencePipeline<AttemptResult> _pipeline;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly CircuitBreakerManualControl _manual = new();
    private readonly TimeProvider _time;
    private long _openUntilTicks;

    public DeploymentBreaker(string deployment, BreakerOptions options, TimeProvider time, RoutingMetrics metrics, ILogger? logger = null)
    {
        logger ??= Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _time = time;
        var enabled = options.Enabled;
        _pipeline = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptResult>
            {
                // A disabled breaker still exists, never trips, and can be isolated by health checks.
                FailureRatio = enabled ? options.FailureRatio : 1.0,
                MinimumThroughput = enabled ? options.MinimumThroughput : int.MaxValue,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is not null || args.Outcome.Result is { DeploymentFault: true }),
                StateProvider = _state,
                ManualControl = _manual,
                OnOpened = args =>
                {
                    // Isolation (health checks) has no end: Polly reports TimeSpan.MaxValue.
                    var now = _time.GetUtcNow();
                    var until = args.IsManual || args.BreakDuration >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + args.BreakDuration;
                    Interlocked.Exchange(ref _openUntilTicks, until.UtcTicks);
                    metrics.BreakerTransition(deployment, args.IsManual ? BreakerState.Isolated : BreakerState.Open);
                    if (!args.IsManual)
                    {
                        Log.Opened(logger, deployment, args.BreakDuration.TotalSeconds, args.Outcome.Result?.Message ?? args.Outcome.Exception?.Message ?? "");
                    }

                    return default;
                },
                OnHalfOpened = _ =>
                {
                    metrics.BreakerTransition(deployment, BreakerState.HalfOpen);
                    Log.HalfOpened(logger, deployment);
                    return default;
                },
                OnClosed = _ =>
                {
                    metrics.BreakerTransition(deployment, BreakerState.Closed);
                    Log.Closed(logger, deployment);
                    return default;
                },
            })
            .Build();
    }

    public BreakerState State => _state.CircuitState switch
    {
        CircuitState.Closed => BreakerState.Closed,
        CircuitState.HalfOpen => BreakerState.HalfOpen,
        CircuitState.Open => BreakerState.Open,
        _ => BreakerState.Isolated,
    };

    /// <summary>When an open breaker lets its next probe through.</summary>
    public DateTimeOffset OpenUntil => new(Interlocked.Read(ref _openUntilTicks), TimeSpan.Zero);

    /// <summary>
    /// Whether routing may pick the deployment now: closed, or open with its break over (the call becomes
    /// the half-open probe). A half-open breaker already has its probe in flight.
    /// </summary>
    public bool Admits(DateTimeOffset now) => _state.CircuitState switch
    {
        CircuitState.Closed => true,
        CircuitState.Open => now.UtcTicks >= Interlocked.Read(ref _openUntilTicks),
        _ => false,
    };

    /// <summary>Runs one attempt through the breaker; throws <see cref="ExecutionRejectedException"/> when it refuses.</summary>
    public ValueTask<AttemptResult> ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask<AttemptResult>> attempt, TState state, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(attempt, state, cancellationToken);

    public Task IsolateAsync() => _manual.IsolateAsync();

    public Task CloseAsync() => _manual.CloseAsync();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Circuit breaker of deployment {Deployment} opened: out of balancing for {Seconds} s (last failure: {Failure})")]
        public static partial void Opened(ILogger logger, string deployment, double seconds, string failure);

        [LoggerMessage(2, LogLevel.Information, "Circuit breaker of deployment {Deployment} half-open: one probe call let through")]
        public static partial void HalfOpened(ILogger logger, string deployment);

        [LoggerMessage(3, LogLevel.Information, "Circuit breaker of deployment {Deployment} closed: back in balancing")]
        public static partial void Closed(ILogger logger, string deployment);
    }
}
