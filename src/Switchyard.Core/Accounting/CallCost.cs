using Switchyard.Accounting.Pricing;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Routing;

namespace Switchyard.Accounting;

/// <summary>
/// What a call cost, decided once when it ends, for the trace, the spend ledger and budgets alike; and
/// what a call may cost, estimated before it starts, for budget reservations.
/// </summary>
internal sealed class CallCost
{
    private const decimal TokensPerMillion = 1_000_000m;

    private readonly PriceCatalog _prices;
    private readonly PriceEntry? _fallback;
    private readonly Dictionary<string, PriceEntry?> _groupCeilings = new(StringComparer.Ordinal);
    private long _unpriced;

    public CallCost(PriceCatalog prices, SwitchyardOptions options, ModelCatalog catalog)
    {
        _prices = prices;
        _fallback = options.Limits.FallbackPrice;
        foreach (var group in catalog.Groups)
        {
            _groupCeilings[group.Name] = Ceiling(group);
        }
    }

    /// <summary>Answered calls whose model has no price: their cost is unknown until a price is added.</summary>
    public long Unpriced => Interlocked.Read(ref _unpriced);

    /// <summary>Fills in usage the provider did not report, then the cost. Idempotent: the first caller decides.</summary>
    public void Finish(CallContext call)
    {
        if (call.Accounted)
        {
            return;
        }

        call.Accounted = true;
        if (!call.UsageReported && call.Status is >= 200 and < 300 && call.Api != ClientApi.CountTokens && call.Deployment is not null)
        {
            call.Usage = call.Usage with { InputTokens = PromptTokenEstimator.Estimate(call.Body.Span, call.Deployment.Model) };
        }

        call.CostNanoUsd = Cost(call.Deployment?.Provider, call.UpstreamModel ?? call.Deployment?.Model, call.Group?.Name, call.Usage);
    }

    /// <summary>
    /// Cost from usage and the price catalogue: the sandbox is free (simulated); a call that used no
    /// tokens costs 0; a model without a price costs the fallback price, else is unknown (null) and counted.
    /// </summary>
    public long? Cost(string? provider, string? upstreamModel, string? group, TokenUsage usage)
    {
        if (provider == "sandbox" || usage.TotalTokens == 0)
        {
            return 0;
        }

        if (_prices.TryFind(provider, upstreamModel, out var price) || _prices.TryFind(provider, group, out price) || (price = _fallback) is not null)
        {
            return CostCalculator.ToNanoUsd(CostCalculator.Compute(usage, price));
        }

        Interlocked.Increment(ref _unpriced);
        return null;
    }

    /// <summary>
    /// The most a call to the group could cost for the given tokens: the highest input and output prices
    /// among its deployments, since any of them may answer. Null when one of them has no price.
    /// </summary>
    public long? Estimate(ModelGroup group, long inputTokens, long outputTokens)
    {
        if (!_groupCeilings.TryGetValue(group.Name, out var ceiling) || ceiling is null)
        {
            return null;
        }

        var usd = ((inputTokens * ceiling.InputPerMillion) + (outputTokens * Math.Max(ceiling.OutputPerMillion, ceiling.ReasoningPerMillion ?? 0))) / TokensPerMillion;
        return CostCalculator.ToNanoUsd(usd);
    }

    private PriceEntry? Ceiling(ModelGroup group)
    {
        decimal input = 0, output = 0;
        foreach (var deployment in group.Deployments)
        {
            if (deployment.IsSimulated)
            {
                continue;
            }

            if (!_prices.TryFind(deployment.Provider, deployment.Model, out var price) && !_prices.TryFind(deployment.Provider, group.Name, out price))
            {
                if (_fallback is null)
                {
                    return null;
                }

                price = _fallback;
            }

            input = Math.Max(input, Math.Max(price.InputPerMillion, price.CacheWritePerMillion));
            output = Math.Max(output, Math.Max(price.OutputPerMillion, price.ReasoningPerMillion ?? 0));
        }

        return new PriceEntry(group.Name, null, input, input, input, output, null, "ceiling", "");
    }
}
