namespace Switchyard.Limits;

/// <summary>
/// Limits and budgets for one process. One lock guards all state: a call's check and reservation
/// across its five subjects is a handful of array reads and writes, far shorter than anything else
/// on the request path, so a single lock costs less than ordering many and cannot deadlock.
/// </summary>
internal sealed class InProcessLimitStore : ILimitStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SubjectState> _states = new(StringComparer.Ordinal);

    public ValueTask<LimitDecision> AcquireAsync(LimitRequest request, CancellationToken cancellationToken) =>
        new(TryAcquire(request, out var ticket, out var rejection) ? new LimitDecision(ticket, default) : new LimitDecision(null, rejection));

    public ValueTask SettleAsync(LimitTicket ticket, long actualTokens, long actualCostNanoUsd, Action<SettledBudget>? settled, CancellationToken cancellationToken)
    {
        Settle(ticket, actualTokens, actualCostNanoUsd, settled);
        return ValueTask.CompletedTask;
    }

    public ValueTask SeedSpendAsync(string stateKey, BudgetWindow window, long spentNanoUsd, CancellationToken cancellationToken)
    {
        SeedSpend(stateKey, window, spentNanoUsd);
        return ValueTask.CompletedTask;
    }

    private bool TryAcquire(LimitRequest request, out LimitTicket? ticket, out LimitRejection rejection)
    {
        var nowSeconds = request.Now.ToUnixTimeMilliseconds() / 1000.0;
        var second = (long)Math.Floor(nowSeconds);
        var checks = request.Checks;
        var tokens = Math.Max(0, request.EstimatedTokens);
        var cost = Math.Max(0, request.EstimatedCostNanoUsd ?? 0);
        lock (_lock)
        {
            // First check everything, then reserve everything: a call refused by its team must not
            // have used up its key's quota on the way.
            for (var i = 0; i < checks.Length; i++)
            {
                ref readonly var check = ref checks[i];
                if (check.IsEmpty)
                {
                    continue;
                }

                var state = State(check.StateKey);
                var limits = check.Limits;
                if (limits.RequestsPerMinute is { } rpm)
                {
                    var counter = state.Requests ??= new SlidingWindowCounter();
                    counter.Advance(second);
                    if (counter.Total + 1 > rpm)
                    {
                        rejection = new LimitRejection(LimitKind.Requests, check, rpm, counter.Total, 1, counter.TimeUntilFreed(counter.Total + 1 - rpm, nowSeconds));
                        ticket = null;
                        return false;
                    }
                }

                if (limits.TokensPerMinute is { } tpm)
                {
                    var counter = state.Tokens ??= new SlidingWindowCounter();
                    counter.Advance(second);
                    if (counter.Total >= tpm || counter.Total + tokens > tpm)
                    {
                        var retry = tokens > tpm ? (TimeSpan?)null : counter.TimeUntilFreed(counter.Total + tokens - tpm, nowSeconds);
                        rejection = new LimitRejection(LimitKind.Tokens, check, tpm, counter.Total, tokens, retry);
                        ticket = null;
                        return false;
                    }
                }

                if (limits.MaxConcurrent is { } max && state.InFlight + 1 > max)
                {
                    rejection = new LimitRejection(LimitKind.Concurrency, check, max, state.InFlight, 1, TimeSpan.FromSeconds(1));
                    ticket = null;
                    return false;
                }

                if (check.Budget is { Mode: BudgetMode.Hard } budget)
                {
                    state.RollTo(check.Window);
                    var committed = state.Spent + state.Reserved;
                    if (committed >= budget.AmountNanoUsd || committed + cost > budget.AmountNanoUsd)
                    {
                        var retry = check.Window.End is { } end ? end - request.Now : (TimeSpan?)null;
                        rejection = new LimitRejection(LimitKind.Budget, check, budget.AmountNanoUsd, committed, cost, retry);
                        ticket = null;
                        return false;
                    }
                }
            }

            var reserved = new LimitTicket.Reservation[checks.Length];
            RateLimitStatus? requests = null, tokenStatus = null;
            for (var i = 0; i < checks.Length; i++)
            {
                ref readonly var check = ref checks[i];
                if (check.IsEmpty)
                {
                    continue;
                }

                var state = _states[check.StateKey];
                var limits = check.Limits;
                if (limits.RequestsPerMinute is { } rpm)
                {
                    state.Requests!.Add(second, 1);
                    requests = Tighter(requests, rpm, state.Requests, nowSeconds);
                }

                if (limits.TokensPerMinute is { } tpm)
                {
                    state.Tokens!.Add(second, tokens);
                    tokenStatus = Tighter(tokenStatus, tpm, state.Tokens, nowSeconds);
                }

                if (limits.MaxConcurrent is not null)
                {
                    state.InFlight++;
                }

                if (check.Budget is not null)
                {
                    state.RollTo(check.Window);
                    state.Reserved += cost;
                }

                reserved[i] = new LimitTicket.Reservation(limits.TokensPerMinute is not null, limits.MaxConcurrent is not null, check.Budget is not null);
            }

            ticket = new LimitTicket(request, second, reserved) { Requests = requests, Tokens = tokenStatus };
            rejection = default;
            return true;
        }
    }

    private void Settle(LimitTicket ticket, long actualTokens, long actualCostNanoUsd, Action<SettledBudget>? settled)
    {
        if (Interlocked.Exchange(ref ticket.SettledFlag, 1) != 0)
        {
            return;
        }

        var request = ticket.Request;
        var estimatedTokens = Math.Max(0, request.EstimatedTokens);
        var estimatedCost = Math.Max(0, request.EstimatedCostNanoUsd ?? 0);
        actualTokens = Math.Max(0, actualTokens);
        actualCostNanoUsd = Math.Max(0, actualCostNanoUsd);
        Span<long> spent = stackalloc long[ticket.Reserved.Length];
        lock (_lock)
        {
            for (var i = 0; i < ticket.Reserved.Length; i++)
            {
                var taken = ticket.Reserved[i];
                spent[i] = -1;
                if (!(taken.Tokens || taken.Concurrency || taken.Budget) || !_states.TryGetValue(request.Checks[i].StateKey, out var state))
                {
                    continue;
                }

                if (taken.Tokens)
                {
                    state.Tokens?.Adjust(ticket.Second, actualTokens - estimatedTokens);
                }

                if (taken.Concurrency)
                {
                    state.InFlight = Math.Max(0, state.InFlight - 1);
                }

                // A call that straddles a window boundary counts in the window it was admitted in;
                // the new window's state starts without its reservation, so there is nothing to undo.
                if (taken.Budget && state.WindowId == request.Checks[i].Window.Id)
                {
                    state.Reserved = Math.Max(0, state.Reserved - estimatedCost);
                    state.Spent += actualCostNanoUsd;
                    spent[i] = state.Spent;
                }
            }
        }

        if (settled is not null)
        {
            for (var i = 0; i < spent.Length; i++)
            {
                if (spent[i] >= 0)
                {
                    settled(new SettledBudget(request.Checks[i], spent[i]));
                }
            }
        }
    }

    public BudgetUsage? ReadBudget(string stateKey, BudgetWindow window)
    {
        lock (_lock)
        {
            return _states.TryGetValue(stateKey, out var state) && state.WindowId == window.Id
                ? new BudgetUsage(state.Spent, state.Reserved)
                : null;
        }
    }

    private void SeedSpend(string stateKey, BudgetWindow window, long spentNanoUsd)
    {
        lock (_lock)
        {
            var state = State(stateKey);
            if (state.WindowId != window.Id)
            {
                state.WindowId = window.Id;
                state.Reserved = 0;
            }

            state.Spent = spentNanoUsd;
        }
    }

    private SubjectState State(string key)
    {
        if (!_states.TryGetValue(key, out var state))
        {
            state = new SubjectState();
            _states.Add(key, state);
        }

        return state;
    }

    private static RateLimitStatus Tighter(RateLimitStatus? current, long limit, SlidingWindowCounter counter, double nowSeconds)
    {
        var remaining = Math.Max(0, limit - counter.Total);
        if (current is { } c && c.Remaining <= remaining)
        {
            return c;
        }

        return new RateLimitStatus(limit, remaining, counter.TimeUntilFreed(1, nowSeconds));
    }

    private sealed class SubjectState
    {
        public SlidingWindowCounter? Requests;
        public SlidingWindowCounter? Tokens;
        public int InFlight;
        public long WindowId = long.MinValue;
        public long Spent;
        public long Reserved;

        /// <summary>Moves to the window of a new call; a later window starts empty, an older one is ignored.</summary>
        public void RollTo(in BudgetWindow window)
        {
            if (window.Id > WindowId)
            {
                WindowId = window.Id;
                Spent = 0;
                Reserved = 0;
            }
        }
    }
}
