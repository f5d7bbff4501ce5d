namespace Switchyard.Prompts.Experiments;

/// <summary>One variant's figures; NaN where the variant has no call with that figure.</summary>
internal sealed record VariantFigures(
    string Variant,
    long Calls,
    long Errors,
    double ErrorRate,
    double LatencyP50Ms,
    double LatencyP95Ms,
    double TtftP50Ms,
    double TtftP95Ms,
    double TokensPerCall,
    double CostNanoUsdPerCall,
    long FeedbackCount,
    double PositiveFeedbackRate,
    IReadOnlyDictionary<string, double> ScoreMeans);
