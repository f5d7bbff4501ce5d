namespace Switchyard.Configuration;

/// <summary>How a model group picks among its deployments (<c>strategy</c>).</summary>
internal enum LoadBalancing
{
    /// <summary>Random, in proportion to each deployment's <c>weight</c>.</summary>
    Weighted,

    /// <summary>Each deployment in turn.</summary>
    RoundRobin,

    /// <summary>The deployment with the fewest calls in flight through this gateway.</summary>
    LeastBusy,

    /// <summary>The lowest moving average of latency (time to first token for streams), exploring now and then.</summary>
    LowestLatency,

    /// <summary>The cheapest deployment by the price catalogue.</summary>
    LowestCost,

    /// <summary>The deployment whose upstream reported the most remaining rate limit (<c>x-ratelimit-remaining-*</c>).</summary>
    MostHeadroom,
}
