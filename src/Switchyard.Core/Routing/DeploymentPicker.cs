using Switchyard.Configuration;

namespace Switchyard.Routing;

/// <summary>
/// Picks one deployment of a group among those a call may still use (a bit set over
/// <see cref="ModelGroup.Deployments"/>), by the group's strategy. Ties go to a random one of the tied,
/// so equal deployments share the load. No allocation: this runs on every call.
/// </summary>
internal static class DeploymentPicker
{
    /// <summary>Deployments of the group with a positive weight that are available now (breaker, cool-down).</summary>
    public static ulong Available(ModelGroup group, DateTimeOffset now) => Where(group, now, static (d, n) => d.Health.Available(n));

    /// <summary>Deployments with a positive weight whose breaker admits a call, cooling down or not.</summary>
    public static ulong Admitted(ModelGroup group, DateTimeOffset now) => Where(group, now, static (d, n) => d.Health.Breaker.Admits(n));

    private static ulong Where(ModelGroup group, DateTimeOffset now, Func<Deployment, DateTimeOffset, bool> usable)
    {
        ulong set = 0;
        var deployments = group.Deployments;
        for (var i = 0; i < deployments.Count; i++)
        {
            var d = deployments[i];
            if (d.Options.Weight > 0 && usable(d, now))
            {
                set |= 1UL << i;
            }
        }

        return set;
    }

    /// <summary>The deployment to try, or null when <paramref name="candidates"/> is empty.</summary>
    public static Deployment? Pick(ModelGroup group, ulong candidates, bool stream, DateTimeOffset now, Hosting.RandomSource random)
    {
        if (candidates == 0)
        {
            return null;
        }

        var deployments = group.Deployments;
        if (ulong.IsPow2(candidates))
        {
            return deployments[System.Numerics.BitOperations.TrailingZeroCount(candidates)];
        }

        return group.Routing.Strategy switch
        {
            LoadBalancing.RoundRobin => RoundRobin(group, candidates),
            LoadBalancing.LeastBusy => Lowest(deployments, candidates, static (d, _, _) => d.Health.InFlight, stream, now, random),
            LoadBalancing.LowestLatency => random.NextDouble() < group.Routing.Options.Exploration
                ? Weighted(deployments, candidates, random)
                : Lowest(deployments, candidates, static (d, s, _) => LatencyScore(d, s), stream, now, random),
            LoadBalancing.LowestCost => Lowest(deployments, candidates, static (d, _, _) => (double)d.PricePerMillion, stream, now, random),
            LoadBalancing.MostHeadroom => Lowest(deployments, candidates, static (d, _, n) => -d.Health.Headroom(n), stream, now, random),
            _ => Weighted(deployments, candidates, random),
        };
    }

    /// <summary>
    /// Time to first token for streams, whole latency for plain calls, the other when one is unknown; a
    /// deployment never measured scores lowest so it gets measured.
    /// </summary>
    private static double LatencyScore(Deployment deployment, bool stream)
    {
        var health = deployment.Health;
        var (first, second) = stream ? (health.FirstTokenMs, health.LatencyMs) : (health.LatencyMs, health.FirstTokenMs);
        return !double.IsNaN(first) ? first : !double.IsNaN(second) ? second : -1;
    }

    private static Deployment Weighted(IReadOnlyList<Deployment> deployments, ulong candidates, Hosting.RandomSource random)
    {
        long total = 0;
        for (var set = candidates; set != 0; set &= set - 1)
        {
            total += deployments[System.Numerics.BitOperations.TrailingZeroCount(set)].Options.Weight;
        }

        var pick = random.NextInt64(Math.Max(1, total));
        Deployment? last = null;
        for (var set = candidates; set != 0; set &= set - 1)
        {
            last = deployments[System.Numerics.BitOperations.TrailingZeroCount(set)];
            pick -= last.Options.Weight;
            if (pick < 0)
            {
                return last;
            }
        }

        return last!;
    }

    private static Deployment RoundRobin(ModelGroup group, ulong candidates)
    {
        var deployments = group.Deployments;
        var start = group.NextTurn() % deployments.Count;
        for (var k = 0; k < deployments.Count; k++)
        {
            var i = (start + k) % deployments.Count;
            if ((candidates & (1UL << i)) != 0)
            {
                return deployments[i];
            }
        }

        return deployments[System.Numerics.BitOperations.TrailingZeroCount(candidates)];
    }

    /// <summary>The candidate with the lowest score; ties broken uniformly at random (reservoir sampling).</summary>
    private static Deployment Lowest(IReadOnlyList<Deployment> deployments, ulong candidates, Func<Deployment, bool, DateTimeOffset, double> score, bool stream, DateTimeOffset now, Hosting.RandomSource random)
    {
        Deployment? best = null;
        var bestScore = double.PositiveInfinity;
        var ties = 0;
        for (var set = candidates; set != 0; set &= set - 1)
        {
            var d = deployments[System.Numerics.BitOperations.TrailingZeroCount(set)];
            var s = score(d, stream, now);
            if (best is null || s < bestScore)
            {
                best = d;
                bestScore = s;
                ties = 1;
            }
            else if (s == bestScore && random.Next(++ties) == 0)
            {
                best = d;
            }
        }

        return best!;
    }
}
