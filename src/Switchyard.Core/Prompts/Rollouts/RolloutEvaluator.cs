using Switchyard.Prompts.Experiments;

namespace Switchyard.Prompts.Rollouts;

/// <summary>
/// Decides a running rollout's next move from the calls of its current step. Pure: the caller passes the
/// calls each version served since <see cref="RolloutState.StepStartedAt"/> and the time.
/// <para>
/// A step advances only when its interval has elapsed, the new version has served at least the minimum calls
/// in the step, and every gate holds. Once the new version has the minimum calls, any failing gate rolls back
/// at once, interval or not. The error-rate gate alone may fail before the minimum: when even the lower end of
/// the Wilson interval of the new version's error rate is above the limit, more calls would only confirm it,
/// and every further call is a failure served to a user. Gates whose figure is missing on either side (no
/// feedback yet, no cost, the old version served no calls) are skipped rather than failed.
/// </para>
/// <para>
/// The absolute error-rate limit is checked on the observed rate: at 200 calls a single error is 0.5 %, above
/// the default 0.1 %. That is the seed's intent (an error-free canary), and the limit is configurable.
/// </para>
/// </summary>
internal static class RolloutEvaluator
{
    public static RolloutDecision Evaluate(RolloutPlan plan, RolloutState state, IReadOnlyList<ExperimentSample> samplesOld, IReadOnlyList<ExperimentSample> samplesNew, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(samplesOld);
        ArgumentNullException.ThrowIfNull(samplesNew);
        if (state.Status != RolloutStatus.Running)
        {
            return RolloutDecision.Wait($"the rollout is {state.Status.ToString().ToLowerInvariant()}");
        }

        var gates = plan.Gates;
        var newErrors = samplesNew.LongCount(s => s.Error);
        if (gates.MaxErrorRate is { } maxErrors && samplesNew.Count > 0)
        {
            var (low, _) = ExperimentStatistics.WilsonInterval(newErrors, samplesNew.Count, gates.Alpha);
            if (low > maxErrors)
            {
                return RolloutDecision.RollBack(ErrorFailure(samplesOld, samplesNew, newErrors, maxErrors, $"error rate certainly above {maxErrors:P2} (interval from {low:P2}) before the minimum calls"));
            }
        }

        if (samplesNew.Count < plan.MinCallsPerStep)
        {
            return RolloutDecision.Wait($"{samplesNew.Count} of {plan.MinCallsPerStep} calls on the new version");
        }

        var failure = FailingGate(gates, samplesOld, samplesNew, newErrors);
        if (failure is not null)
        {
            return RolloutDecision.RollBack(failure);
        }

        if (now - state.StepStartedAt < plan.Interval)
        {
            return RolloutDecision.Wait($"step interval ends at {state.StepStartedAt + plan.Interval:O}");
        }

        var next = state.StepIndex + 1;
        return next >= plan.Steps.Count || plan.Steps[next] >= 100 ? RolloutDecision.Complete() : RolloutDecision.Advance(plan.Steps[next]);
    }

    /// <summary>The state after acting on <paramref name="decision"/>, its version one above <paramref name="state"/>'s, for a compare-and-set save.</summary>
    public static RolloutState Apply(RolloutPlan plan, RolloutState state, RolloutDecision decision, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Kind switch
        {
            RolloutDecisionKind.Advance => state with { StepIndex = state.StepIndex + 1, StepStartedAt = now, Version = state.Version + 1 },
            RolloutDecisionKind.Complete => state with { Status = RolloutStatus.Succeeded, StepIndex = plan.Steps.Count - 1, StepStartedAt = now, Version = state.Version + 1 },
            RolloutDecisionKind.RollBack => state with { Status = RolloutStatus.Failed, Failure = decision.Failure, Version = state.Version + 1 },
            _ => state,
        };
    }

    private static GateFailure? FailingGate(RolloutGates gates, IReadOnlyList<ExperimentSample> old, IReadOnlyList<ExperimentSample> fresh, long newErrors)
    {
        var oldErrors = old.LongCount(s => s.Error);
        var newRate = (double)newErrors / fresh.Count;
        if (gates.MaxErrorRate is { } maxErrors && newRate > maxErrors)
        {
            return ErrorFailure(old, fresh, newErrors, maxErrors, $"error rate {newRate:P2} above {maxErrors:P2}");
        }

        if (gates.ErrorRateNotWorseThanCurrent && old.Count > 0)
        {
            // Always-valid, because the same step is re-evaluated every few minutes: a fixed-horizon z-test
            // checked that often would roll back healthy versions by chance.
            var p = ExperimentStatistics.AlwaysValidProportionP(oldErrors, old.Count, newErrors, fresh.Count);
            var oldRate = (double)oldErrors / old.Count;
            if (newRate > oldRate && p < gates.Alpha)
            {
                return ErrorFailure(old, fresh, newErrors, oldRate, $"error rate {newRate:P2} significantly above the current {oldRate:P2} (always-valid p = {p:G3})");
            }
        }

        if (old.Count == 0)
        {
            return null;
        }

        if (gates.MaxP95LatencyRatio is { } latencyRatio)
        {
            var oldP95 = P95(old.Select(s => s.LatencyMs));
            var newP95 = P95(fresh.Select(s => s.LatencyMs));
            // Under MinLatencyDifferenceMs apart, p95s of fast calls differ by noise, not by the version.
            if (oldP95 > 0 && newP95 > oldP95 * latencyRatio && newP95 - oldP95 > gates.MinLatencyDifferenceMs)
            {
                return new GateFailure("p95_latency", oldP95, newP95, oldP95 * latencyRatio, old.Count, fresh.Count, $"p95 latency {newP95:F0} ms above {latencyRatio:G3} × {oldP95:F0} ms");
            }
        }

        if (gates.MaxCostRatio is { } costRatio)
        {
            var oldCost = ExperimentStatistics.Mean(old.Where(s => s.CostNanoUsd.HasValue).Select(s => (double)s.CostNanoUsd!.Value).ToArray());
            var newCost = ExperimentStatistics.Mean(fresh.Where(s => s.CostNanoUsd.HasValue).Select(s => (double)s.CostNanoUsd!.Value).ToArray());
            if (oldCost > 0 && newCost > oldCost * costRatio)
            {
                return new GateFailure("cost_per_call", oldCost, newCost, oldCost * costRatio, old.Count, fresh.Count, $"cost per call {newCost:F0} nano-USD above {costRatio:G3} × {oldCost:F0}");
            }
        }

        if (gates.MaxFeedbackRateDrop is { } drop)
        {
            var oldRate = PositiveRate(old);
            var newRate2 = PositiveRate(fresh);
            if (!double.IsNaN(oldRate) && !double.IsNaN(newRate2) && oldRate - newRate2 > drop)
            {
                return new GateFailure("positive_feedback_rate", oldRate, newRate2, oldRate - drop, old.Count, fresh.Count, $"positive feedback {newRate2:P1} more than {drop:P1} below the current {oldRate:P1}");
            }
        }

        var names = old.Concat(fresh).Where(s => s.Scores is not null).SelectMany(s => s.Scores!.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var limit = gates.ScoreRegressions.TryGetValue(name, out var own) ? own : gates.MaxScoreRegression;
            if (limit is not { } max)
            {
                continue;
            }

            var oldMean = ExperimentStatistics.Mean(Scores(old, name));
            var newMean = ExperimentStatistics.Mean(Scores(fresh, name));
            if (double.IsNaN(oldMean) || double.IsNaN(newMean) || oldMean == 0)
            {
                continue;
            }

            var regression = (oldMean - newMean) / Math.Abs(oldMean);
            if (regression > max)
            {
                return new GateFailure("score:" + name, oldMean, newMean, oldMean - max * Math.Abs(oldMean), old.Count, fresh.Count, $"score {name} mean {newMean:G4} is {regression:P1} below the current {oldMean:G4} (limit {max:P1})");
            }
        }

        return null;
    }

    private static GateFailure ErrorFailure(IReadOnlyList<ExperimentSample> old, IReadOnlyList<ExperimentSample> fresh, long newErrors, double limit, string detail)
    {
        var oldRate = old.Count == 0 ? double.NaN : (double)old.LongCount(s => s.Error) / old.Count;
        return new GateFailure("error_rate", oldRate, (double)newErrors / fresh.Count, limit, old.Count, fresh.Count, detail);
    }

    private static double P95(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return ExperimentStatistics.Quantile(sorted, 0.95);
    }

    private static double PositiveRate(IReadOnlyList<ExperimentSample> samples)
    {
        var rated = samples.Where(s => s.FeedbackPositive.HasValue).ToArray();
        return rated.Length == 0 ? double.NaN : (double)rated.Count(s => s.FeedbackPositive!.Value) / rated.Length;
    }

    private static double[] Scores(IReadOnlyList<ExperimentSample> samples, string name) =>
        samples.Where(s => s.Scores is not null && s.Scores.ContainsKey(name)).Select(s => s.Scores![name]).ToArray();
}
