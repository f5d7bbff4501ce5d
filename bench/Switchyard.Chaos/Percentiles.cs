namespace Switchyard.Chaos;

/// <summary>Nearest-rank percentiles over exact values.</summary>
internal static class Percentiles
{
    /// <summary><paramref name="sorted"/> ascending; <paramref name="p"/> in (0, 1]; NaN when empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
