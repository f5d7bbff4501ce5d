using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Switchyard.Accounting;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Spend;

namespace Switchyard.Limits;

/// <summary>
/// Lets a call through only if its key may use the model and every limit and budget that applies (the
/// gateway's, the model group's, the team's, the user's and the key's) has room for it; reserves that
/// room in one atomic step, and settles it with the real usage and cost when the call ends, however it
/// ends (success, upstream error, client gone).
/// </summary>
internal sealed class AdmissionStage : CallStage
{
    private readonly ILimitStore _store;
    private readonly CallCost _cost;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _zone;
    private readonly long _defaultOutputTokens;
    private readonly RateLimits _global;
    private readonly Dictionary<string, RateLimits> _groups = new(StringComparer.Ordinal);
    private readonly Action<SettledBudget>? _observe;

    /// <summary>The current window of each kind: computing one converts time zones, and every budgeted call needs it.</summary>
    /// <remarks>Boxed so a reader never sees half of a window another thread is writing.</remarks>
    private readonly StrongBox<BudgetWindow>?[] _windows = new StrongBox<BudgetWindow>?[4];

    public AdmissionStage(ILimitStore store, CallCost cost, SwitchyardOptions options, TimeProvider time, ISpendAlerts? alerts = null)
    {
        _store = store;
        _cost = cost;
        _time = time;
        _zone = options.Limits.BudgetTimeZone;
        _defaultOutputTokens = options.Limits.EstimatedOutputTokens;
        _global = options.Limits.Global;
        foreach (var (name, group) in options.ModelGroups)
        {
            _groups[name] = group.Limits;
        }

        _observe = alerts is null ? null : settled => alerts.Observe(new BudgetObservation(settled.Check.Kind, settled.Check.SubjectId, settled.Check.Budget!, settled.Check.Window, settled.SpentNanoUsd));
    }

    public override async ValueTask InvokeAsync(CallContext call, CallDelegate next)
    {
        var group = call.Group!;
        var caller = call.Caller;
        if (caller.Key is { } key && !key.AllowsModel(group.Name))
        {
            await GatewayErrors.WriteAsync(call, 403, "permission_error", $"The API key '{key.Id}' may not use the model '{group.Name}'.", "model_not_allowed").ConfigureAwait(false);
            return;
        }

        // Counting tokens is free at the providers and answers no question about spend.
        var checks = call.Api == ClientApi.CountTokens ? null : Checks(call);
        if (checks is null)
        {
            await next(call).ConfigureAwait(false); // Nothing to hold: the common case without keys or limits.
            return;
        }

        var needsTokens = false;
        Budget? hardBudget = null;
        LimitCheck hardCheck = default;
        foreach (var check in checks)
        {
            needsTokens |= check.Limits.TokensPerMinute is not null || check.Budget is not null;
            if (check.Budget is { Mode: BudgetMode.Hard } budget && hardBudget is null)
            {
                hardBudget = budget;
                hardCheck = check;
            }
        }

        // A small body's byte count bounds its prompt tokens (a token is at least one byte, and the
        // JSON around the text only adds bytes) and costs nothing to get. The tokenizer runs for larger
        // bodies, and for a small one only when the bound does not fit.
        var output = call.Api == ClientApi.Embeddings ? 0 : call.Request.MaxOutputTokens ?? _defaultOutputTokens;
        var exact = call.Body.Length > CheapEstimateMaxBodyBytes;
        var request = needsTokens
            ? Estimate(call, group, checks, exact ? Prompt(call, group) : call.Body.Length, output)
            : new LimitRequest { Checks = checks, EstimatedCostNanoUsd = 0, Now = call.StartTime };
        if (request.EstimatedCostNanoUsd is null && hardBudget is not null)
        {
            await GatewayErrors.WriteAsync(call, 403, "permission_error", $"The model '{group.Name}' has no price, and {Describe(hardCheck)} has a hard budget: calls to unpriced models are refused (add the model to prices_file, or set limits.fallback_price).", "model_unpriced").ConfigureAwait(false);
            return;
        }

        var decision = await _store.AcquireAsync(request, call.Aborted).ConfigureAwait(false);
        if (!decision.Admitted && needsTokens && !exact && decision.Rejection.Kind is (LimitKind.Tokens or LimitKind.Budget))
        {
            // Refused on the cheap estimate: count the prompt's tokens before saying no.
            decision = await _store.AcquireAsync(Estimate(call, group, checks, Prompt(call, group), output), call.Aborted).ConfigureAwait(false);
        }

        if (!decision.Admitted)
        {
            await RejectAsync(call, decision.Rejection).ConfigureAwait(false);
            return;
        }

        await AdmittedAsync(call, next, decision.Ticket!).ConfigureAwait(false);
    }

    /// <summary>Bodies up to this size reserve their byte count as prompt tokens: at most a couple of thousand tokens held too many while the call runs.</summary>
    private const int CheapEstimateMaxBodyBytes = 2048;

    private static long Prompt(CallContext call, Routing.ModelGroup group) => PromptTokenEstimator.Estimate(call.Body.Span, group.Deployments[0].Model);

    private LimitRequest Estimate(CallContext call, Routing.ModelGroup group, LimitCheck[] checks, long prompt, long output) => new()
    {
        Checks = checks,
        EstimatedTokens = prompt + output,
        EstimatedCostNanoUsd = _cost.Estimate(group, prompt, output),
        Now = call.StartTime,
    };

    private async ValueTask AdmittedAsync(CallContext call, CallDelegate next, LimitTicket ticket)
    {
        call.Limits = ticket;
        WriteHeaders(call.Http.Response.Headers, ticket);
        try
        {
            await next(call).ConfigureAwait(false);
        }
        finally
        {
            _cost.Finish(call);
            await _store.SettleAsync(ticket, call.Usage.TotalTokens, call.CostNanoUsd ?? 0, _observe, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The levels with something to enforce, outermost first; null when there are none.</summary>
    private LimitCheck[]? Checks(CallContext call)
    {
        var caller = call.Caller;
        var groupLimits = _groups.GetValueOrDefault(call.Group!.Name) ?? RateLimits.None;
        var count = (_global.IsEmpty ? 0 : 1) + (groupLimits.IsEmpty ? 0 : 1) + Count(caller.Team) + Count(caller.Owner) + Count(caller.Key);
        if (count == 0)
        {
            return null;
        }

        var checks = new LimitCheck[count];
        var i = 0;
        if (!_global.IsEmpty)
        {
            checks[i++] = new LimitCheck("global", SubjectKind.Global, "global", _global, null, default);
        }

        if (!groupLimits.IsEmpty)
        {
            checks[i++] = new LimitCheck(call.Group.StateKey, SubjectKind.ModelGroup, call.Group.Name, groupLimits, null, default);
        }

        Add(caller.Team);
        Add(caller.Owner);
        Add(caller.Key);
        return checks;

        void Add(Identity.LimitedSubject? subject)
        {
            if (subject is null || (subject.Limits.IsEmpty && subject.Budget is null))
            {
                return;
            }

            var window = subject.Budget is { } budget ? Window(budget.Window, call.StartTime) : default;
            checks[i++] = new LimitCheck(subject.StateKey, subject.Kind, subject.Id, subject.Limits, subject.Budget, window);
        }
    }

    private BudgetWindow Window(BudgetWindowKind kind, DateTimeOffset now)
    {
        // Races only recompute: a window is an immutable value and any thread's result is right.
        if (Volatile.Read(ref _windows[(int)kind]) is { Value: var cached } && now >= cached.Start && (cached.End is null || now < cached.End))
        {
            return cached;
        }

        var window = BudgetWindow.Containing(kind, now, _zone);
        Volatile.Write(ref _windows[(int)kind], new StrongBox<BudgetWindow>(window));
        return window;
    }

    private static int Count(Identity.LimitedSubject? subject) => subject is null || (subject.Limits.IsEmpty && subject.Budget is null) ? 0 : 1;

    private static void WriteHeaders(IHeaderDictionary headers, LimitTicket ticket)
    {
        if (ticket.Requests is { } requests)
        {
            headers["x-ratelimit-limit-requests"] = requests.Limit.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-requests"] = requests.Remaining.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-requests"] = Duration(requests.Reset);
        }

        if (ticket.Tokens is { } tokens)
        {
            headers["x-ratelimit-limit-tokens"] = tokens.Limit.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-tokens"] = tokens.Remaining.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-tokens"] = Duration(tokens.Reset);
        }
    }

    private static Task RejectAsync(CallContext call, LimitRejection rejection)
    {
        var headers = call.Http.Response.Headers;
        if (rejection.RetryAfter is { } retry && rejection.Kind != LimitKind.Budget)
        {
            GatewayErrors.SetRetryAfter(headers, retry);
        }

        var who = Describe(rejection.Check);
        var wait = rejection.RetryAfter is { } r ? $" Try again in {Seconds(r)} s." : "";
        switch (rejection.Kind)
        {
            case LimitKind.Requests:
                headers["x-ratelimit-limit-requests"] = rejection.Limit.ToString(CultureInfo.InvariantCulture);
                headers["x-ratelimit-remaining-requests"] = "0";
                return GatewayErrors.WriteAsync(call, 429, "requests", $"Rate limit reached for {who}: {rejection.Limit} requests per minute.{wait}", "rate_limit_exceeded");
            case LimitKind.Tokens when rejection.RetryAfter is null:
                return GatewayErrors.WriteAsync(call, 429, "tokens", $"Request too large for {who}: it may use {rejection.Requested} tokens (prompt plus max_tokens), more than the limit of {rejection.Limit} tokens per minute. Lower max_tokens or shorten the prompt.", "tokens_exceed_limit");
            case LimitKind.Tokens:
                headers["x-ratelimit-limit-tokens"] = rejection.Limit.ToString(CultureInfo.InvariantCulture);
                headers["x-ratelimit-remaining-tokens"] = Math.Max(0, rejection.Limit - rejection.Used).ToString(CultureInfo.InvariantCulture);
                return GatewayErrors.WriteAsync(call, 429, "tokens", $"Rate limit reached for {who}: {rejection.Limit} tokens per minute; used {rejection.Used}, this request may use {rejection.Requested}.{wait}", "rate_limit_exceeded");
            case LimitKind.Concurrency:
                return GatewayErrors.WriteAsync(call, 429, "requests", $"Too many concurrent requests for {who}: at most {rejection.Limit} at a time.{wait}", "concurrency_limit_exceeded");
            default:
                var budget = rejection.Check.Budget!;
                var resets = rejection.Check.Window.End is { } end ? $"; the {budget.Window.ToString().ToLowerInvariant()} budget resets at {end.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}" : "";
                return GatewayErrors.WriteAsync(call, 402, "budget_exceeded", $"Budget exceeded for {who}: {Usd(rejection.Used)} of {Usd(rejection.Limit)} USD spent or reserved, and this call may cost up to {Usd(rejection.Requested)}{resets}.", "budget_exceeded");
        }
    }

    private static string Describe(in LimitCheck check) => check.Kind switch
    {
        SubjectKind.Global => "the gateway",
        SubjectKind.ModelGroup => $"model '{check.SubjectId}'",
        SubjectKind.Team => $"team '{check.SubjectId}'",
        SubjectKind.User => $"user '{check.SubjectId}'",
        _ => $"key '{check.SubjectId}'",
    };

    private static string Usd(long nano) => (nano / 1_000_000_000m).ToString("0.######", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => (Math.Ceiling(t.TotalSeconds * 10) / 10).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>OpenAI's reset format: <c>1s</c>, <c>6m0s</c>, <c>250ms</c>.</summary>
    private static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.FromSeconds(1))
        {
            return $"{Math.Max(0, (int)Math.Ceiling(t.TotalMilliseconds))}ms";
        }

        var seconds = (long)Math.Ceiling(t.TotalSeconds);
        return seconds < 60 ? $"{seconds}s" : $"{seconds / 60}m{seconds % 60}s";
    }
}
