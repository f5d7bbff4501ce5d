namespace Switchyard.Limits;

/// <summary>One level a call is checked against (the gateway, its model group, team, user or key) with that level's limits and budget.</summary>
/// <param name="StateKey">The subject's name in the store: "global", "model_group:gpt-4o", "key:key_…".</param>
/// <param name="Window">The budget window containing the call's start; default when there is no budget.</param>
internal readonly record struct LimitCheck(string StateKey, SubjectKind Kind, string SubjectId, RateLimits Limits, Budget? Budget, BudgetWindow Window)
{
    public bool IsEmpty => Limits.IsEmpty && Budget is null;
}

/// <summary>What one call asks of the store, checked and reserved in one atomic step.</summary>
internal sealed class LimitRequest
{
    public required LimitCheck[] Checks { get; init; }

    /// <summary>Prompt tokens plus the most output tokens the call may produce.</summary>
    public long EstimatedTokens { get; init; }

    /// <summary>The estimate's cost; null when the model has no price.</summary>
    public long? EstimatedCostNanoUsd { get; init; }

    public DateTimeOffset Now { get; init; }
}

internal enum LimitKind
{
    Requests,
    Tokens,
    Concurrency,
    Budget,
}

/// <summary>Why a call was refused, and when it could succeed.</summary>
/// <param name="RetryAfter">Null when waiting cannot help (the request alone exceeds the limit, or a total budget is spent).</param>
internal readonly record struct LimitRejection(LimitKind Kind, LimitCheck Check, long Limit, long Used, long Requested, TimeSpan? RetryAfter);

/// <summary>The rate limit a response reports in <c>x-ratelimit-*</c>: the tightest one that applied.</summary>
internal readonly record struct RateLimitStatus(long Limit, long Remaining, TimeSpan Reset);

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

/// <summary>A budgeted subject's spend in the window a call was reserved in, after the call settled.</summary>
internal readonly record struct SettledBudget(LimitCheck Check, long SpentNanoUsd);

/// <summary>Spend of one subject in one budget window, as the store holds it.</summary>
internal readonly record struct BudgetUsage(long SpentNanoUsd, long ReservedNanoUsd);

/// <summary>
/// Rate-limit and budget state. Every operation is atomic across all the subjects of a call, and a call
/// costs one <see cref="TryAcquire"/> and one <see cref="Settle"/>: the in-process store takes one lock;
/// a shared store (Redis) implements each as one script, so limits stay exact across replicas.
/// </summary>
internal interface ILimitStore
{
    /// <summary>Checks every limit and budget of every subject; if all pass, reserves them all. Never partially.</summary>
    bool TryAcquire(LimitRequest request, out LimitTicket? ticket, out LimitRejection rejection);

    /// <summary>
    /// Replaces the estimate with what the call really used and releases its concurrency slot and
    /// budget reservation. Budgeted subjects' spend after settling is passed to <paramref name="settled"/>.
    /// Settling a ticket twice does nothing the second time.
    /// </summary>
    void Settle(LimitTicket ticket, long actualTokens, long actualCostNanoUsd, Action<SettledBudget>? settled = null);

    /// <summary>Spend and reservations of a subject in a window, or null when the store holds none for that window.</summary>
    BudgetUsage? ReadBudget(string stateKey, BudgetWindow window);

    /// <summary>Sets a subject's spend in a window from the persisted ledger (at start, or when its budget changes).</summary>
    void SeedSpend(string stateKey, BudgetWindow window, long spentNanoUsd);
}
