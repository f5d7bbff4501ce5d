using Switchyard.Hosting;
using Switchyard.Prompts.Experiments;
using Xunit;

namespace Switchyard.Tests.Prompts.Experiments;

/// <summary>The per-variant report: figures, differences against the control, and direction-aware verdicts only after the minimum sample.</summary>
public sealed class ExperimentAnalyzerTests
{
    private static List<ExperimentSample> Calls(string variant, int count, int errors, double latency, double quality, int positiveOfTen, long cost)
    {
        var calls = new List<ExperimentSample>();
        for (var i = 0; i < count; i++)
        {
            calls.Add(new ExperimentSample(variant, i < errors, latency + i % 50, latency / 4, 300 + i % 7, cost, i % 10 < positiveOfTen, new Dictionary<string, double> { ["quality"] = quality + (i % 5) * 0.01 }));
        }

        return calls;
    }

    [Fact]
    public void Figures_are_computed_per_variant()
    {
        var report = ExperimentAnalyzer.Analyze(["v1", "v2"], [.. Calls("v1", 100, 5, 200, 0.8, 7, 1000), .. Calls("v2", 50, 0, 100, 0.9, 9, 2000)], 10, RandomSource.Seeded(1));

        var v1 = report.Variants[0];
        Assert.Equal(("v1", 100L, 5L), (v1.Variant, v1.Calls, v1.Errors));
        Assert.Equal(0.05, v1.ErrorRate, 9);
        Assert.Equal(224.5, v1.LatencyP50Ms, 9);
        Assert.Equal(50, v1.TtftP50Ms, 9);
        Assert.Equal(1000, v1.CostNanoUsdPerCall, 9);
        Assert.Equal(0.7, v1.PositiveFeedbackRate, 9);
        Assert.Equal(0.82, v1.ScoreMeans["quality"], 9);
        Assert.Equal(50L, report.Variants[1].Calls);
    }

    [Fact]
    public void Verdicts_wait_for_the_minimum_sample()
    {
        var report = ExperimentAnalyzer.Analyze(["v1", "v2"], [.. Calls("v1", 100, 0, 200, 0.8, 5, 1000), .. Calls("v2", 100, 0, 100, 0.9, 5, 1000)], 500, RandomSource.Seeded(1));

        Assert.All(report.Comparisons[0].Metrics, m => Assert.Equal("insufficient_data", m.VerdictName));
    }

    [Fact]
    public void Verdicts_know_which_way_is_better()
    {
        var report = ExperimentAnalyzer.Analyze(["v1", "v2"], [.. Calls("v1", 2000, 200, 300, 0.7, 5, 1000), .. Calls("v2", 2000, 20, 150, 0.9, 5, 3000)], 200, RandomSource.Seeded(1), resamples: 500);
        var metrics = report.Comparisons[0].Metrics.ToDictionary(m => m.Metric);

        Assert.Equal("better", metrics["error_rate"].VerdictName);
        Assert.True(metrics["error_rate"].Comparison.Difference < 0);
        Assert.Equal("better", metrics["latency_ms"].VerdictName);
        Assert.Equal("worse", metrics["cost_per_call"].VerdictName);
        Assert.Equal("better", metrics["score:quality"].VerdictName);
        Assert.Equal("no_difference", metrics["positive_feedback_rate"].VerdictName);
        Assert.Equal("no_difference", metrics["tokens_per_call"].VerdictName);
    }

    [Fact]
    public void The_seed_exercise_fifty_fifty_with_quality_scores_gives_a_results_table()
    {
        var assigner = new VariantAssigner("support-ab", [50, 50]);
        var noise = RandomSource.Seeded(3);
        var samples = new List<ExperimentSample>();
        for (var user = 0; user < 2000; user++)
        {
            var variant = assigner.Pick($"user-{user}") == 0 ? "v1" : "v2";
            var score = (variant == "v1" ? 0.70 : 0.78) + 0.1 * (noise.NextDouble() - 0.5);
            samples.Add(new ExperimentSample(variant, false, 400 + 100 * noise.NextDouble(), null, 500, null, null, new Dictionary<string, double> { ["quality"] = score }));
        }

        var report = ExperimentAnalyzer.Analyze(["v1", "v2"], samples, 200, RandomSource.Seeded(1), resamples: 500);

        Assert.InRange(report.Variants[0].Calls, 960, 1040);
        var quality = report.Comparisons[0].Metrics.Single(m => m.Metric == "score:quality");
        Assert.Equal("better", quality.VerdictName);
        Assert.InRange(0.08, quality.Comparison.Low, quality.Comparison.High);
        Assert.Equal("no_difference", report.Comparisons[0].Metrics.Single(m => m.Metric == "latency_ms").VerdictName);
        Assert.True(double.IsNaN(report.Variants[0].CostNanoUsdPerCall));
    }
}
