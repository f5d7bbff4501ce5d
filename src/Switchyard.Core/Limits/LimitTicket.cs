namespace Switchyard.Limits;

/// <summary>What a call holds from admission until it settles; settle it exactly once.</summary>
internal sealed class LimitTicket
{
    internal LimitTicket(LimitRequest request, long second, Reservation[] reserved)
    {
        Request = request;
        Second = second;
        Reserved = reserved;
    }

    public LimitRequest Request { get; }

    /// <summary>The whole second (Unix time) the request and its tokens were counted in.</summary>
    internal long Second { get; }

    internal Reservation[] Reserved { get; }

    public RateLimitStatus? Requests { get; internal set; }

    public RateLimitStatus? Tokens { get; internal set; }

    internal int SettledFlag;

    /// <summary>What was taken from one check's subject, so settling gives back exactly that.</summary>
    internal readonly record struct Reservation(bool Tokens, bool Concurrency, bool Budget);
}
