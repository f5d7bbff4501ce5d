namespace Switchyard.Routing;

/// <summary>A breaker's state, as <c>/health/ready</c> and metrics show it.</summary>
internal enum BreakerState
{
    Closed = 0,
    HalfOpen = 1,
    Open = 2,

    /// <summary>Taken out by failing active health checks until one succeeds.</summary>
    Isolated = 3,
}
