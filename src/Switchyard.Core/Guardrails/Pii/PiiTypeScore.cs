namespace Switchyard.Guardrails.Pii;

/// <summary>Matched (true positive), spurious (false positive) and missed (false negative) counts for one type.</summary>
internal sealed record PiiTypeScore(int TruePositives, int FalsePositives, int FalseNegatives)
{
    // As the reference scorer does: a ratio with a zero denominator is 0, not undefined.
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}
