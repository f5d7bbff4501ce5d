namespace Switchyard.Routing;

internal static class BreakerStates
{
    public static string Label(this BreakerState state) => state switch
    {
        BreakerState.Closed => "closed",
        BreakerState.HalfOpen => "half_open",
        BreakerState.Open => "open",
        _ => "isolated",
    };
}
