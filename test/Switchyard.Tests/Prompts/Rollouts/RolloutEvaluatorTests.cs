using Microsoft.Extensions.Time.Testing;
using Switchyard.Hosting;
using Switchyard.Prompts.Experiments;
using Switchyard.Prompts.Rollouts;
using Xunit;

namespace Switchyard.Tests.Prompts.Rollouts;

/// <summary>
/// The canary on a fake clock: the traffic of each step is simulated by routing calls with the step's
/// percentage between a current and a new version whose error rate, latency and scores the test sets.
/// </summary>
public sealed class RolloutEvaluatorTests
{
    private static readonly RolloutPlan Plan = new("support", "production", 1, 2, [5, 50, 100], 200, TimeSpan.FromMinutes(30));

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    private sealed record Version(double ErrorRate, double LatencyMs, double Quality);

    private static readonly Version Healthy = new(0, 400, 0.8);

    /// <summary>Serves <paramref name="calls"/> calls, the new version taking <paramref name="percent"/> of them.</summary>
    private static (List<ExperimentSample> Old, List<ExperimentSample> New) Serve(int calls, int percent, Version current, Version candidate, RandomSource random)
    {
        var old = new List<ExperimentSample>();
        var fresh = new List<ExperimentSample>();
        for (var i = 0; i < calls; i++)
        {
            var isNew = random.Next(100) < percent;
            var v = isNew ? candidate : current;
            var sample = new ExperimentSample(isNew ? "new" : "old", random.NextDouble() < v.ErrorRate, v.LatencyMs * (0.8 + 0.4 * random.NextDouble()), null, 300, 1000, null, new Dictionary<string, double> { ["quality"] = v.Quality + 0.05 * (random.NextDouble() - 0.5) });
            (isNew ? fresh : old).Add(sample);
        }

        return (old, fresh);
    }

    /// <summary>Runs the rollout to its end, one evaluation per simulated ten minutes of traffic.</summary>
    private (RolloutState State, List<int> Percents, RolloutDecision Last) Run(Version candidate, int callsPerTenMinutes)
    {
        var random = RandomSource.Seeded(11);
        var state = RolloutState.Start(_time.GetUtcNow());
        var percents = new List<int> { Plan.Steps[0] };
        var old = new List<ExperimentSample>();
        var fresh = new List<ExperimentSample>();
        for (var tick = 0; tick < 200; tick++)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            var (o, n) = Serve(callsPerTenMinutes, Plan.Steps[state.StepIndex], Healthy, candidate, random);
            old.AddRange(o);
            fresh.AddRange(n);
            var decision = RolloutEvaluator.Evaluate(Plan, state, old, fresh, _time.GetUtcNow());
            var next = RolloutEvaluator.Apply(Plan, state, decision, _time.GetUtcNow());
            if (decision.Kind == RolloutDecisionKind.Advance)
            {
                Assert.Equal(state.Version + 1, next.Version);
                percents.Add(decision.NextPercent!.Value);
                old.Clear();
                fresh.Clear();
            }

            state = next;
            if (decision.Kind is RolloutDecisionKind.Complete or RolloutDecisionKind.RollBack)
            {
                return (state, percents, decision);
            }
        }

        throw new InvalidOperationException("the rollout never ended");
    }

    [Fact]
    public void A_healthy_rollout_reaches_one_hundred_percent()
    {
        var (state, percents, last) = Run(Healthy with { Quality = 0.81 }, callsPerTenMinutes: 2000);

        Assert.Equal(RolloutDecisionKind.Complete, last.Kind);
        Assert.Equal(RolloutStatus.Succeeded, state.Status);
        Assert.Equal([5, 50], percents);
        Assert.Null(state.Failure);
    }

    [Fact]
    public void A_raised_error_rate_rolls_back_at_the_five_percent_step_naming_the_gate()
    {
        var (state, percents, last) = Run(Healthy with { ErrorRate = 0.05 }, callsPerTenMinutes: 2000);

        Assert.Equal(RolloutDecisionKind.RollBack, last.Kind);
        Assert.Equal(RolloutStatus.Failed, state.Status);
        Assert.Equal([5], percents);
        Assert.Equal("error_rate", state.Failure!.Gate);
        Assert.True(state.Failure.New > Plan.Gates.MaxErrorRate);
        Assert.Contains("error_rate", last.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certain_error_rate_fails_before_the_minimum_calls()
    {
        var start = _time.GetUtcNow();
        var fresh = Enumerable.Range(0, 20).Select(i => Sample(error: i < 5)).ToList();

        var decision = RolloutEvaluator.Evaluate(Plan, RolloutState.Start(start), [], fresh, start.AddMinutes(1));

        Assert.Equal(RolloutDecisionKind.RollBack, decision.Kind);
        Assert.Equal("error_rate", decision.Failure!.Gate);
    }

    [Fact]
    public void A_score_regression_over_five_percent_rolls_back()
    {
        var (state, _, last) = Run(Healthy with { Quality = 0.72 }, callsPerTenMinutes: 2000);

        Assert.Equal(RolloutDecisionKind.RollBack, last.Kind);
        Assert.Equal("score:quality", state.Failure!.Gate);
        Assert.Equal(0.8, state.Failure.Current, 1);
        Assert.Equal(0.72, state.Failure.New, 1);
    }

    [Fact]
    public void A_score_regression_under_the_limit_passes_and_a_per_score_override_tightens_it()
    {
        var start = _time.GetUtcNow();
        var old = Enumerable.Range(0, 300).Select(_ => Sample(quality: 0.80)).ToList();
        var fresh = Enumerable.Range(0, 300).Select(_ => Sample(quality: 0.78)).ToList();
        var later = start.AddHours(1);

        Assert.Equal(RolloutDecisionKind.Advance, RolloutEvaluator.Evaluate(Plan, RolloutState.Start(start), old, fresh, later).Kind);
        var strict = Plan with { Gates = new RolloutGates { ScoreRegressions = new Dictionary<string, double?> { ["quality"] = 0.01 } } };
        Assert.Equal("score:quality", RolloutEvaluator.Evaluate(strict, RolloutState.Start(start), old, fresh, later).Failure?.Gate);
    }

    [Theory]
    [InlineData(150, 60, "Wait")]
    [InlineData(250, 10, "Wait")]
    [InlineData(250, 31, "Advance")]
    public void A_step_waits_for_both_its_calls_and_its_interval(int calls, int minutes, string expected)
    {
        var start = _time.GetUtcNow();
        var old = Enumerable.Range(0, 1000).Select(_ => Sample()).ToList();
        var fresh = Enumerable.Range(0, calls).Select(_ => Sample()).ToList();

        var decision = RolloutEvaluator.Evaluate(Plan, RolloutState.Start(start), old, fresh, start.AddMinutes(minutes));

        Assert.Equal(expected, decision.Kind.ToString());
    }

    [Theory]
    [InlineData("latency", "p95_latency")]
    [InlineData("cost", "cost_per_call")]
    [InlineData("feedback", "positive_feedback_rate")]
    public void Each_comparison_gate_fails_on_its_own_figure(string worse, string gate)
    {
        var start = _time.GetUtcNow();
        var old = Enumerable.Range(0, 300).Select(i => Sample(positive: i % 10 < 8)).ToList();
        var fresh = Enumerable.Range(0, 300).Select(i => Sample(
            latency: worse == "latency" ? 900 : 400,
            cost: worse == "cost" ? 2000 : 1000,
            positive: i % 10 < (worse == "feedback" ? 6 : 8))).ToList();

        var decision = RolloutEvaluator.Evaluate(Plan, RolloutState.Start(start), old, fresh, start.AddMinutes(1));

        Assert.Equal(RolloutDecisionKind.RollBack, decision.Kind);
        Assert.Equal(gate, decision.Failure!.Gate);
    }

    [Fact]
    public void Without_an_absolute_limit_an_error_rate_clearly_above_the_current_one_still_rolls_back()
    {
        var start = _time.GetUtcNow();
        var relative = Plan with { Gates = new RolloutGates { MaxErrorRate = null } };
        var old = Enumerable.Range(0, 5000).Select(i => Sample(error: i % 100 == 0)).ToList();
        var slightlyWorse = Enumerable.Range(0, 300).Select(i => Sample(error: i % 60 == 0)).ToList();
        var muchWorse = Enumerable.Range(0, 300).Select(i => Sample(error: i % 10 == 0)).ToList();

        Assert.Equal(RolloutDecisionKind.Advance, RolloutEvaluator.Evaluate(relative, RolloutState.Start(start), old, slightlyWorse, start.AddHours(1)).Kind);
        Assert.Equal("error_rate", RolloutEvaluator.Evaluate(relative, RolloutState.Start(start), old, muchWorse, start.AddHours(1)).Failure?.Gate);
    }

    [Fact]
    public void A_rollout_that_is_not_running_is_left_alone_and_plans_are_checked()
    {
        var start = _time.GetUtcNow();
        var cancelled = RolloutState.Start(start) with { Status = RolloutStatus.Cancelled };
        Assert.Equal(RolloutDecisionKind.Wait, RolloutEvaluator.Evaluate(Plan, cancelled, [], [Sample(error: true)], start).Kind);
        Assert.Null(Plan.Problem());
        Assert.NotNull((Plan with { Steps = [50, 5] }).Problem());
        Assert.NotNull((Plan with { ToVersion = 1 }).Problem());
    }

    private static ExperimentSample Sample(bool error = false, double quality = 0.8, double latency = 400, long cost = 1000, bool? positive = null) =>
        new("x", error, latency, null, 300, cost, positive, new Dictionary<string, double> { ["quality"] = quality });
}
