using Switchyard.Hosting;

namespace Switchyard.Prompts.Experiments;

/// <summary>
/// Turns an experiment's per-call samples into its report. Pure: no I/O, randomness only through the
/// injected source (the bootstrap). Metric names: error_rate, latency_ms, ttft_ms, tokens_per_call,
/// cost_per_call, positive_feedback_rate and score:NAME for each score.
/// Rates are judged by the always-valid mSPRT p-value, so a rate verdict stays valid however often the
/// report is refreshed; every verdict also waits for the minimum sample on both sides.
/// </summary>
internal static class ExperimentAnalyzer
{
    public static ExperimentReport Analyze(IReadOnlyList<string> variants, IReadOnlyList<ExperimentSample> samples, int minSamplePerVariant, RandomSource random, double alpha = 0.05, int resamples = 2000)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(random);
        if (variants.Count == 0)
        {
            throw new ArgumentException("An experiment needs at least one variant.", nameof(variants));
        }

        var groups = variants.ToDictionary(v => v, _ => new List<ExperimentSample>(), StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            // A call recorded under a variant since removed from the experiment has no side to count on.
            if (groups.TryGetValue(sample.Variant, out var list))
            {
                list.Add(sample);
            }
        }

        var figures = variants.Select(v => Figures(v, groups[v])).ToList();
        var comparisons = new List<VariantComparison>();
        var control = groups[variants[0]];
        for (var i = 1; i < variants.Count; i++)
        {
            comparisons.Add(Compare(variants[i], variants[0], control, groups[variants[i]], minSamplePerVariant, random, alpha, resamples));
        }

        return new ExperimentReport(figures, comparisons, minSamplePerVariant, alpha);
    }

    /// <summary>One variant's figures.</summary>
    public static VariantFigures Figures(string variant, IReadOnlyList<ExperimentSample> calls)
    {
        var latency = Sorted(calls.Select(c => c.LatencyMs));
        var ttft = Sorted(calls.Where(c => c.TtftMs.HasValue).Select(c => c.TtftMs!.Value));
        var costs = calls.Where(c => c.CostNanoUsd.HasValue).Select(c => (double)c.CostNanoUsd!.Value).ToArray();
        var feedback = calls.Where(c => c.FeedbackPositive.HasValue).ToArray();
        var errors = calls.LongCount(c => c.Error);
        var scores = ScoreNames(calls).ToDictionary(n => n, n => ExperimentStatistics.Mean(ScoreValues(calls, n)), StringComparer.Ordinal);
        return new VariantFigures(
            variant,
            calls.Count,
            errors,
            calls.Count == 0 ? double.NaN : (double)errors / calls.Count,
            ExperimentStatistics.Quantile(latency, 0.5),
            ExperimentStatistics.Quantile(latency, 0.95),
            ExperimentStatistics.Quantile(ttft, 0.5),
            ExperimentStatistics.Quantile(ttft, 0.95),
            calls.Count == 0 ? double.NaN : calls.Average(c => (double)c.Tokens),
            ExperimentStatistics.Mean(costs),
            feedback.Length,
            feedback.Length == 0 ? double.NaN : (double)feedback.Count(c => c.FeedbackPositive!.Value) / feedback.Length,
            scores);
    }

    private static VariantComparison Compare(string name, string controlName, List<ExperimentSample> control, List<ExperimentSample> treatment, int min, RandomSource random, double alpha, int resamples)
    {
        var metrics = new List<MetricComparison>();
        var enough = control.Count >= min && treatment.Count >= min;

        metrics.Add(Rate("error_rate", lowerIsBetter: true, control.Count(c => c.Error), control.Count, treatment.Count(c => c.Error), treatment.Count, enough, alpha));
        metrics.Add(Continuous("latency_ms", true, control.Select(c => c.LatencyMs).ToArray(), treatment.Select(c => c.LatencyMs).ToArray(), median: true, min, random, alpha, resamples));
        metrics.Add(Continuous("ttft_ms", true, control.Where(c => c.TtftMs.HasValue).Select(c => c.TtftMs!.Value).ToArray(), treatment.Where(c => c.TtftMs.HasValue).Select(c => c.TtftMs!.Value).ToArray(), median: true, min, random, alpha, resamples));
        metrics.Add(Continuous("tokens_per_call", true, control.Select(c => (double)c.Tokens).ToArray(), treatment.Select(c => (double)c.Tokens).ToArray(), median: false, min, random, alpha, resamples));
        metrics.Add(Continuous("cost_per_call", true, control.Where(c => c.CostNanoUsd.HasValue).Select(c => (double)c.CostNanoUsd!.Value).ToArray(), treatment.Where(c => c.CostNanoUsd.HasValue).Select(c => (double)c.CostNanoUsd!.Value).ToArray(), median: false, min, random, alpha, resamples));

        var controlFeedback = control.Where(c => c.FeedbackPositive.HasValue).ToArray();
        var treatmentFeedback = treatment.Where(c => c.FeedbackPositive.HasValue).ToArray();
        metrics.Add(Rate("positive_feedback_rate", lowerIsBetter: false, controlFeedback.Count(c => c.FeedbackPositive!.Value), controlFeedback.Length, treatmentFeedback.Count(c => c.FeedbackPositive!.Value), treatmentFeedback.Length, controlFeedback.Length >= min && treatmentFeedback.Length >= min, alpha));

        foreach (var score in ScoreNames(control).Union(ScoreNames(treatment)).Order(StringComparer.Ordinal))
        {
            metrics.Add(Continuous("score:" + score, false, ScoreValues(control, score), ScoreValues(treatment, score), median: false, min, random, alpha, resamples));
        }

        return new VariantComparison(name, controlName, metrics);
    }

    private static MetricComparison Rate(string metric, bool lowerIsBetter, long x1, long n1, long x2, long n2, bool enough, double alpha)
    {
        var comparison = ExperimentStatistics.DifferenceOfProportions(x1, n1, x2, n2, alpha);
        // The verdict uses the always-valid p-value; the z-test's p stays on the record for readers who know it.
        var alwaysValid = ExperimentStatistics.AlwaysValidProportionP(x1, n1, x2, n2);
        comparison = comparison with { P = alwaysValid, Test = "mSPRT always-valid (Newcombe interval)" };
        return new MetricComparison(metric, lowerIsBetter, comparison, Verdict(comparison, lowerIsBetter, enough, alpha));
    }

    private static MetricComparison Continuous(string metric, bool lowerIsBetter, double[] control, double[] treatment, bool median, int min, RandomSource random, double alpha, int resamples)
    {
        var enough = control.Length >= min && treatment.Length >= min;
        var comparison = ExperimentStatistics.BootstrapDifference(control, treatment, median, random, enough ? resamples : Math.Min(resamples, 200), alpha);
        return new MetricComparison(metric, lowerIsBetter, comparison, Verdict(comparison, lowerIsBetter, enough, alpha));
    }

    private static ExperimentVerdict Verdict(Comparison comparison, bool lowerIsBetter, bool enough, double alpha)
    {
        if (!enough)
        {
            return ExperimentVerdict.InsufficientData;
        }

        if (comparison.P >= alpha || comparison.Difference == 0 || double.IsNaN(comparison.Difference))
        {
            return ExperimentVerdict.NoDifference;
        }

        return (comparison.Difference < 0) == lowerIsBetter ? ExperimentVerdict.Better : ExperimentVerdict.Worse;
    }

    private static IEnumerable<string> ScoreNames(IEnumerable<ExperimentSample> calls) =>
        calls.Where(c => c.Scores is not null).SelectMany(c => c.Scores!.Keys).Distinct(StringComparer.Ordinal);

    private static double[] ScoreValues(IEnumerable<ExperimentSample> calls, string name) =>
        calls.Where(c => c.Scores is not null && c.Scores.ContainsKey(name)).Select(c => c.Scores![name]).ToArray();

    private static double[] Sorted(IEnumerable<double> values)
    {
        var array = values.ToArray();
        Array.Sort(array);
        return array;
    }
}
