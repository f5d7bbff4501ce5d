namespace Switchyard.Guardrails.Pii;

/// <summary>
/// What <see cref="PiiEvaluation.Evaluate"/> measured: per-type scores under exact-span matching and under
/// overlap matching (the prediction covers at least half the gold span), the number of texts without gold
/// entities that still got a prediction, and the predictions themselves in code-point offsets.
/// </summary>
internal sealed record PiiEvaluationReport(
    IReadOnlyDictionary<string, PiiTypeScore> Exact,
    IReadOnlyDictionary<string, PiiTypeScore> Overlap,
    int NegativeTexts,
    int NegativeTextsWithPredictions,
    IReadOnlyList<PiiLabelledText> Predictions);
