namespace Switchyard.Guardrails.Evaluation;

/// <summary>Found spans of one entity type against the labelled ones.</summary>
internal sealed class SpanScore
{
    public int TruePositives { get; set; }

    public int FalsePositives { get; set; }

    public int FalseNegatives { get; set; }

    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}
