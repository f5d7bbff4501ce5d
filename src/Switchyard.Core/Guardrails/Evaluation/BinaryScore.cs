namespace Switchyard.Guardrails.Evaluation;

/// <summary>Counts of a decision against labels, and the figures read from them.</summary>
internal sealed class BinaryScore
{
    public int TruePositives { get; private set; }

    public int FalsePositives { get; private set; }

    public int FalseNegatives { get; private set; }

    public int TrueNegatives { get; private set; }

    public int Count => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public double FalsePositiveRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>The mean of recall and specificity: what PINT reports, fair to sets that are mostly one class.</summary>
    public double BalancedAccuracy => (Recall + (1 - FalsePositiveRate)) / 2;

    /// <summary>Share of rows decided right.</summary>
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Count);

    public void Add(bool label, bool predicted)
    {
        switch ((label, predicted))
        {
            case (true, true):
                TruePositives++;
                break;
            case (true, false):
                FalseNegatives++;
                break;
            case (false, true):
                FalsePositives++;
                break;
            default:
                TrueNegatives++;
                break;
        }
    }

    private static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;
}
