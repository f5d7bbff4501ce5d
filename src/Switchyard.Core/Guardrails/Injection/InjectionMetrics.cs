namespace Switchyard.Guardrails.Injection;

/// <summary>Confusion counts and the figures score.py prints from them.</summary>
internal sealed record InjectionMetrics(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public int Count => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public double FalsePositiveRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>(recall + (1 − FPR)) / 2, the PINT-style score.</summary>
    public double BalancedAccuracy => (Recall + (1 - FalsePositiveRate)) / 2;

    /// <summary>Share of rows predicted right: the per-category figure score.py prints.</summary>
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Count);

    public override string ToString() =>
        $"n={Count} P={Precision:F4} R={Recall:F4} F1={F1:F4} FPR={FalsePositiveRate:F4} balanced_acc={BalancedAccuracy:F4}";

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
