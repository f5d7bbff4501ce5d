namespace Switchyard.Prompts.Experiments;

/// <summary>Every metric of one non-control variant against the control.</summary>
internal sealed record VariantComparison(string Variant, string Control, IReadOnlyList<MetricComparison> Metrics);
