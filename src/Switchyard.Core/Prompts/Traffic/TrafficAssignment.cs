namespace Switchyard.Prompts.Traffic;

/// <summary>
/// Which arm a call gets: a hash of the split's id and the call's unit, placed on the arms' cumulative
/// weights. Stateless, so the same unit gets the same arm on every gateway and after every restart; a
/// rollout lists the canary first, so raising its share only moves units into it, never out.
/// </summary>
internal static class TrafficAssignment
{
    public static TrafficVariant Pick(TrafficSplit split, IReadOnlyList<TrafficVariant> arms, string unit)
    {
        long total = 0;
        foreach (var arm in arms)
        {
            total += arm.Weight;
        }

        var point = Experiments.VariantAssigner.Point(split.Id, unit, Math.Max(total, 1));
        long cumulative = 0;
        foreach (var arm in arms)
        {
            cumulative += arm.Weight;
            if (point < cumulative)
            {
                return arm;
            }
        }

        return arms[^1];
    }
}
