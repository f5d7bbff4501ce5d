namespace Switchyard.Prompts.Experiments;

/// <summary>
/// One metric of a variant against the control: <see cref="Comparison.Difference"/> is variant minus control,
/// <see cref="LowerIsBetter"/> says which way is good. <see cref="VerdictName"/> is the wire form
/// (insufficient_data, better, worse, no_difference).
/// </summary>
internal sealed record MetricComparison(string Metric, bool LowerIsBetter, Comparison Comparison, ExperimentVerdict Verdict)
{
    public string VerdictName => Verdict switch
    {
        ExperimentVerdict.InsufficientData => "insufficient_data",
        ExperimentVerdict.Better => "better",
        ExperimentVerdict.Worse => "worse",
        _ => "no_difference",
    };
}
