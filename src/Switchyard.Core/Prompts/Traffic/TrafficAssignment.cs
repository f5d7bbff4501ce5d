namespace Switchyard.Prompts.Traffic;

/// <summary>
/// Which arm a call gets: <see cref="Experiments.VariantAssigner"/> over the arms' weights, seeded by the
/// split's id. Stateless, so the same unit gets the same arm on every gateway and after every restart; a
/// rollout lists the canary first, so raising its share only moves units into it, never out.
/// </summary>
internal static class TrafficAssignment
{
    public static TrafficVariant Pick(TrafficSplit split, IReadOnlyList<TrafficVariant> arms, string unit) =>
        arms[new Experiments.VariantAssigner(split.Id, [.. arms.Select(a => a.Weight)]).Pick(unit)];
}
