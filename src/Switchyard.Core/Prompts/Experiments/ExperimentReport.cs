namespace Switchyard.Prompts.Experiments;

/// <summary>Per-variant figures, in variant order (the first is the control), and each other variant against the control.</summary>
internal sealed record ExperimentReport(IReadOnlyList<VariantFigures> Variants, IReadOnlyList<VariantComparison> Comparisons, int MinSamplePerVariant, double Alpha);
