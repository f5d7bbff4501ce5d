using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Identity;
using Switchyard.Prompts;
using Switchyard.Prompts.Traffic;

namespace Switchyard.Hosting;

/// <summary>
/// A/B experiments and canary rollouts on prompt labels: start them, read their per-variant figures, stop
/// an experiment or pick its winner (the label moves), cancel a rollout. At most one runs per label.
/// </summary>
internal static class PromptTrafficApi
{
    private static readonly string[] s_units = ["user", "session", "key"];

    public static RouteGroupBuilder MapPromptTrafficApi(this RouteGroupBuilder api)
    {
        api.MapPost("/prompts/{name}/experiments", async (string name, HttpContext http, IPromptStore prompts, IPromptTrafficStore splits, Routing.ModelCatalog models, Prompts.Serving.PromptChangeFeed changes, RandomSource random, TimeProvider time) =>
        {
            var (body, error) = await ApiBody.ReadAsync(http, PromptApiJson.Default.ExperimentRequest).ConfigureAwait(false);
            if (body is null)
            {
                return error!;
            }

            var label = body.Label ?? "production";
            var versions = (await prompts.ListVersionsAsync(name, http.RequestAborted).ConfigureAwait(false)).Select(v => v.Version).ToHashSet();
            if (versions.Count == 0)
            {
                return ApiBody.Error(404, $"There is no prompt named '{name}'.", "not_found");
            }

            var variants = new List<TrafficVariant>();
            foreach (var (v, i) in (body.Variants ?? []).Select((v, i) => (v, i)))
            {
                var field = $"variants[{i}]";
                if (v.Version is not { } version || !versions.Contains(version))
                {
                    return ApiBody.BadRequest($"{field}.version: one of the prompt's versions ({string.Join(", ", versions.Order())}).");
                }

                if (v.Weight is not ({ } weight and >= 0 and <= 10_000))
                {
                    return ApiBody.BadRequest($"{field}.weight: a whole number from 0 to 10000.");
                }

                if (v.Model is { } model && !models.TryGet(model, out _))
                {
                    return ApiBody.BadRequest($"{field}.model: '{model}' is not a model group of this gateway.");
                }

                if (v.Parameters is { } parameters && parameters.ValueKind != JsonValueKind.Object)
                {
                    return ApiBody.BadRequest($"{field}.parameters: a JSON object.");
                }

                var variantName = v.Name ?? $"v{version}";
                if (variantName.Length is 0 or > 64 || variants.Any(x => x.Name == variantName))
                {
                    return ApiBody.BadRequest($"{field}.name: 1 to 64 characters, different from the other variants' (default v<version>).");
                }

                variants.Add(new TrafficVariant(variantName, version, weight) { ModelGroup = v.Model, ParametersJson = v.Parameters?.GetRawText() });
            }

            if (variants.Count < 2 || variants.Sum(v => v.Weight) == 0)
            {
                return ApiBody.BadRequest("variants: at least two, with weights that are not all 0; the first is the control the others are compared with.");
            }

            if (UnitProblem(body.Unit) is { } unitProblem)
            {
                return ApiBody.BadRequest(unitProblem);
            }

            if (body.MinSample is < 1 or > 10_000_000)
            {
                return ApiBody.BadRequest("min_sample: calls per variant before a verdict, from 1.");
            }

            var split = new TrafficSplit
            {
                Id = "exp_" + Id(random),
                Kind = SplitKind.Experiment,
                Prompt = name,
                Label = label,
                Variants = variants,
                Unit = body.Unit ?? "user",
                MinSample = body.MinSample ?? 200,
                CreatedAt = time.GetUtcNow(),
                CreatedBy = Actor(http),
            };
            return await CreateAsync(split, splits, changes, http).ConfigureAwait(false);
        });

        api.MapPost("/prompts/{name}/rollouts", async (string name, HttpContext http, IPromptStore prompts, IPromptTrafficStore splits, Prompts.Serving.PromptChangeFeed changes, RandomSource random, TimeProvider time) =>
        {
            var (body, error) = await ApiBody.ReadAsync(http, PromptApiJson.Default.RolloutRequest).ConfigureAwait(false);
            if (body is null)
            {
                return error!;
            }

            var label = body.Label ?? "production";
            var labels = await prompts.LabelsAsync(name, http.RequestAborted).ConfigureAwait(false);
            if (!labels.TryGetValue(label, out var from))
            {
                return ApiBody.Error(404, $"Prompt '{name}' has no label '{label}': a rollout moves an existing label (point it at the current version first).", "not_found");
            }

            if (body.Version is not { } to || await prompts.GetVersionAsync(name, to, http.RequestAborted).ConfigureAwait(false) is null)
            {
                return ApiBody.BadRequest($"version: the new version of '{name}' to roll out.");
            }

            if (to == from)
            {
                return ApiBody.BadRequest($"version: the label '{label}' already points at version {to}.");
            }

            var steps = body.Steps ?? [5, 50, 100];
            if (steps.Length == 0 || steps.Any(s => s is < 1 or > 100) || steps.Zip(steps.Skip(1)).Any(p => p.First >= p.Second) || steps[^1] != 100)
            {
                return ApiBody.BadRequest("steps: rising percentages from 1 to 100, ending at 100 (for example [5, 50, 100]).");
            }

            var interval = TimeSpan.FromMinutes(30);
            if (body.Interval is { } given && !ApiBody.TryDuration(given, "interval", out interval, out var intervalError))
            {
                return ApiBody.BadRequest(intervalError!);
            }

            if (body.MinCalls is < 1 or > 10_000_000)
            {
                return ApiBody.BadRequest("min_calls: canary calls a step needs before it is judged, from 1.");
            }

            if (UnitProblem(body.Unit) is { } unitProblem)
            {
                return ApiBody.BadRequest(unitProblem);
            }

            var defaults = new Prompts.Rollouts.RolloutGates();
            var g = body.Gates ?? new RolloutGatesBody();
            var gates = new Prompts.Rollouts.RolloutGates
            {
                MaxErrorRate = g.MaxErrorRate ?? defaults.MaxErrorRate,
                MaxP95LatencyRatio = g.MaxLatencyP95Ratio ?? defaults.MaxP95LatencyRatio,
                MaxCostRatio = g.MaxCostRatio ?? defaults.MaxCostRatio,
                MaxFeedbackRateDrop = g.MaxFeedbackDrop ?? defaults.MaxFeedbackRateDrop,
                MaxScoreRegression = g.MaxScoreRegression ?? defaults.MaxScoreRegression,
            };
            if (new[] { gates.MaxErrorRate, gates.MaxFeedbackRateDrop, gates.MaxScoreRegression }.Any(x => x is < 0 or > 1 || (x is { } v && double.IsNaN(v))) || new[] { gates.MaxP95LatencyRatio, gates.MaxCostRatio }.Any(x => x is < 1 or > 1000 || (x is { } v && double.IsNaN(v))))
            {
                return ApiBody.BadRequest("gates: max_error_rate, max_feedback_drop and max_score_regression are fractions from 0 to 1; max_latency_p95_ratio and max_cost_ratio are factors from 1.");
            }

            var now = time.GetUtcNow();
            var split = new TrafficSplit
            {
                Id = "rol_" + Id(random),
                Kind = SplitKind.Rollout,
                Prompt = name,
                Label = label,
                FromVersion = from,
                ToVersion = to,
                Steps = steps,
                StepStartedAt = now,
                Interval = interval,
                MinSample = body.MinCalls ?? 200,
                Gates = gates,
                Unit = body.Unit ?? "user",
                CreatedAt = now,
                CreatedBy = Actor(http),
            };
            return await CreateAsync(split, splits, changes, http).ConfigureAwait(false);
        });

        api.MapGet("/prompts/{name}/experiments", (string name, IPromptTrafficStore splits, HttpContext http) => ListAsync(name, SplitKind.Experiment, splits, http));
        api.MapGet("/prompts/{name}/rollouts", (string name, IPromptTrafficStore splits, HttpContext http) => ListAsync(name, SplitKind.Rollout, splits, http));
        api.MapGet("/experiments/{id}", (string id, IPromptTrafficStore splits, IPromptCallSamples samples, HttpContext http) => ReportAsync(id, SplitKind.Experiment, splits, samples, http));
        api.MapGet("/rollouts/{id}", (string id, IPromptTrafficStore splits, IPromptCallSamples samples, HttpContext http) => ReportAsync(id, SplitKind.Rollout, splits, samples, http));

        api.MapPost("/experiments/{id}/stop", (string id, IPromptTrafficStore splits, Prompts.Serving.PromptChangeFeed changes, TimeProvider time, HttpContext http) =>
            EndAsync(id, SplitKind.Experiment, "stopped", null, splits, changes, time, http));
        api.MapPost("/rollouts/{id}/cancel", (string id, IPromptTrafficStore splits, Prompts.Serving.PromptChangeFeed changes, TimeProvider time, HttpContext http) =>
            EndAsync(id, SplitKind.Rollout, "cancelled", "cancelled by " + Actor(http), splits, changes, time, http));

        api.MapPost("/experiments/{id}/decide", async (string id, HttpContext http, IPromptTrafficStore splits, IPromptStore prompts, Prompts.Serving.PromptChangeFeed changes, TimeProvider time) =>
        {
            var (body, error) = await ApiBody.ReadAsync(http, PromptApiJson.Default.DecideRequest).ConfigureAwait(false);
            if (body is null)
            {
                return error!;
            }

            if (await splits.GetAsync(id, http.RequestAborted).ConfigureAwait(false) is not { Kind: SplitKind.Experiment } experiment)
            {
                return ApiBody.Error(404, $"There is no experiment '{id}'.", "not_found");
            }

            if (experiment.Variants.FirstOrDefault(v => v.Name == body.Winner) is not { } winner)
            {
                return ApiBody.BadRequest($"winner: one of the variants ({string.Join(", ", experiment.Variants.Select(v => v.Name))}).");
            }

            if (experiment.Status is not (TrafficSplit.Running or "stopped"))
            {
                return ApiBody.Error(409, $"The experiment is {experiment.Status}.", "conflict");
            }

            var now = time.GetUtcNow();
            var moved = await prompts.MoveLabelAsync(experiment.Prompt, experiment.Label, winner.Version, Actor(http), $"experiment {id}: {winner.Name} won", null, now, http.RequestAborted).ConfigureAwait(false);
            if (moved == LabelMoveOutcome.NoSuchVersion)
            {
                return ApiBody.Error(404, $"Prompt '{experiment.Prompt}' has no version {winner.Version}.", "not_found");
            }

            var decided = await splits.UpdateAsync(experiment with { Status = "decided", Winner = winner.Name, EndedAt = experiment.EndedAt ?? now }, experiment.Revision, http.RequestAborted).ConfigureAwait(false);
            changes.Publish(experiment.Prompt);
            return decided is null
                ? ApiBody.Error(409, "The experiment changed meanwhile; read it again.", "conflict")
                : ApiBody.Json(json => WriteSplit(json, decided));
        });

        return api;
    }

    private static async Task<IResult> CreateAsync(TrafficSplit split, IPromptTrafficStore splits, Prompts.Serving.PromptChangeFeed changes, HttpContext http)
    {
        if (!await splits.CreateAsync(split, http.RequestAborted).ConfigureAwait(false))
        {
            return ApiBody.Error(409, $"An experiment or rollout already runs on '{split.Prompt}' label '{split.Label}'; stop it first.", "conflict");
        }

        changes.Publish(split.Prompt);
        var stored = split with { Revision = 1 };
        return ApiBody.Json(json => WriteSplit(json, stored), 201);
    }

    private static async Task<IResult> ListAsync(string name, SplitKind kind, IPromptTrafficStore splits, HttpContext http)
    {
        var all = (await splits.ListAsync(name, http.RequestAborted).ConfigureAwait(false)).Where(s => s.Kind == kind).ToList();
        return ApiBody.Json(json =>
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (var split in all)
            {
                WriteSplit(json, split);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static async Task<IResult> ReportAsync(string id, SplitKind kind, IPromptTrafficStore splits, IPromptCallSamples samples, HttpContext http)
    {
        if (await splits.GetAsync(id, http.RequestAborted).ConfigureAwait(false) is not { } split || split.Kind != kind)
        {
            return ApiBody.Error(404, $"There is no {(kind == SplitKind.Rollout ? "rollout" : "experiment")} '{id}'.", "not_found");
        }

        var since = kind == SplitKind.Rollout ? split.StepStartedAt : split.CreatedAt;
        var calls = await samples.ReadAsync(split.Prompt, split.Label, since, split.EndedAt, http.RequestAborted).ConfigureAwait(false);
        // Seeded by the split, so the bootstrap intervals of one set of calls read the same on every refresh.
        var random = RandomSource.Seeded(StringComparer.Ordinal.GetHashCode(split.Id) ^ calls.Count);
        var report = Prompts.Experiments.ExperimentAnalyzer.Analyze([.. split.Arms().Select(a => a.Name)], calls, split.MinSample, random);
        return ApiBody.Json(json => WriteSplit(json, split, report));
    }

    private static async Task<IResult> EndAsync(string id, SplitKind kind, string status, string? failure, IPromptTrafficStore splits, Prompts.Serving.PromptChangeFeed changes, TimeProvider time, HttpContext http)
    {
        if (await splits.GetAsync(id, http.RequestAborted).ConfigureAwait(false) is not { } split || split.Kind != kind)
        {
            return ApiBody.Error(404, $"There is no {(kind == SplitKind.Rollout ? "rollout" : "experiment")} '{id}'.", "not_found");
        }

        if (!split.IsRunning)
        {
            return ApiBody.Error(409, $"It is {split.Status} already.", "conflict");
        }

        var ended = await splits.UpdateAsync(split with { Status = status, Failure = failure, EndedAt = time.GetUtcNow() }, split.Revision, http.RequestAborted).ConfigureAwait(false);
        changes.Publish(split.Prompt);
        return ended is null ? ApiBody.Error(409, "It changed meanwhile; read it again.", "conflict") : ApiBody.Json(json => WriteSplit(json, ended));
    }

    internal static void WriteSplit(Utf8JsonWriter json, TrafficSplit split, Prompts.Experiments.ExperimentReport? report = null)
    {
        json.WriteStartObject();
        json.WriteString("id", split.Id);
        json.WriteString("object", split.Kind == SplitKind.Rollout ? "rollout" : "experiment");
        json.WriteString("prompt", split.Prompt);
        json.WriteString("label", split.Label);
        json.WriteString("status", split.Status);
        json.WriteString("unit", split.Unit);
        if (split.Kind == SplitKind.Rollout)
        {
            json.WriteNumber("from_version", split.FromVersion);
            json.WriteNumber("to_version", split.ToVersion);
            json.WriteStartArray("steps");
            foreach (var step in split.Steps)
            {
                json.WriteNumberValue(step);
            }

            json.WriteEndArray();
            json.WriteNumber("percent", split.Steps[Math.Min(split.StepIndex, split.Steps.Count - 1)]);
            json.WriteString("step_started_at", split.StepStartedAt);
            json.WriteNumber("interval_seconds", split.Interval.TotalSeconds);
            json.WriteNumber("min_calls", split.MinSample);
            json.WriteStartObject("gates");
            Nullable(json, "max_error_rate", split.Gates.MaxErrorRate);
            Nullable(json, "max_latency_p95_ratio", split.Gates.MaxP95LatencyRatio);
            Nullable(json, "max_cost_ratio", split.Gates.MaxCostRatio);
            Nullable(json, "max_feedback_drop", split.Gates.MaxFeedbackRateDrop);
            Nullable(json, "max_score_regression", split.Gates.MaxScoreRegression);
            json.WriteEndObject();
            json.WriteString("failure", split.Failure);
        }
        else
        {
            json.WriteNumber("min_sample", split.MinSample);
            json.WriteString("winner", split.Winner);
        }

        json.WriteStartArray("variants");
        foreach (var arm in split.Arms())
        {
            json.WriteStartObject();
            json.WriteString("name", arm.Name);
            json.WriteNumber("version", arm.Version);
            json.WriteNumber("weight", arm.Weight);
            json.WriteString("model", arm.ModelGroup);
            if (arm.ParametersJson is { } parameters)
            {
                json.WritePropertyName("parameters");
                json.WriteRawValue(parameters);
            }

            if (report?.Variants.FirstOrDefault(f => f.Variant == arm.Name) is { } f)
            {
                WriteFigures(json, f);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (report is not null && split.Kind == SplitKind.Experiment)
        {
            WriteComparisons(json, report);
        }

        json.WriteString("created_at", split.CreatedAt);
        json.WriteString("created_by", split.CreatedBy);
        if (split.EndedAt is { } ended)
        {
            json.WriteString("ended_at", ended);
        }
        else
        {
            json.WriteNull("ended_at");
        }

        json.WriteEndObject();
    }

    private static void WriteFigures(Utf8JsonWriter json, Prompts.Experiments.VariantFigures f)
    {
        json.WriteNumber("calls", f.Calls);
        json.WriteNumber("errors", f.Errors);
        Nullable(json, "error_rate", f.ErrorRate);
        json.WriteStartObject("latency_ms");
        Nullable(json, "p50", f.LatencyP50Ms);
        Nullable(json, "p95", f.LatencyP95Ms);
        json.WriteEndObject();
        json.WriteStartObject("ttft_ms");
        Nullable(json, "p50", f.TtftP50Ms);
        Nullable(json, "p95", f.TtftP95Ms);
        json.WriteEndObject();
        Nullable(json, "tokens_per_call", f.TokensPerCall);
        Nullable(json, "cost_per_call_usd", f.CostNanoUsdPerCall / 1e9, 10);
        json.WriteNumber("feedback", f.FeedbackCount);
        Nullable(json, "positive_feedback_rate", f.PositiveFeedbackRate);
        json.WriteStartObject("scores");
        foreach (var (name, mean) in f.ScoreMeans.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            Nullable(json, name, mean);
        }

        json.WriteEndObject();
    }

    /// <summary>Each variant against the first (the control): per metric the difference, its interval, the test and its verdict.</summary>
    private static void WriteComparisons(Utf8JsonWriter json, Prompts.Experiments.ExperimentReport report)
    {
        json.WriteNumber("alpha", report.Alpha);
        json.WriteStartArray("comparisons");
        foreach (var comparison in report.Comparisons)
        {
            json.WriteStartObject();
            json.WriteString("variant", comparison.Variant);
            json.WriteString("control", comparison.Control);
            json.WriteStartArray("metrics");
            foreach (var metric in comparison.Metrics)
            {
                json.WriteStartObject();
                json.WriteString("metric", metric.Metric);
                json.WriteBoolean("lower_is_better", metric.LowerIsBetter);
                Nullable(json, "difference", metric.Comparison.Difference);
                Nullable(json, "ci_low", metric.Comparison.Low);
                Nullable(json, "ci_high", metric.Comparison.High);
                Nullable(json, "p_value", metric.Comparison.P);
                json.WriteString("test", metric.Comparison.Test);
                json.WriteString("verdict", metric.VerdictName);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Nullable(Utf8JsonWriter json, string name, double? value, int digits = 5)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, Math.Round(v, digits));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string? UnitProblem(string? unit) =>
        unit is null || s_units.Contains(unit) ? null : $"unit: one of {string.Join(", ", s_units)} (what assignment sticks to).";

    private static string Id(RandomSource random) => random.NextInt64(long.MaxValue).ToString("x16", CultureInfo.InvariantCulture);

    private static string Actor(HttpContext http) => Reach.Of(http).Key?.Id ?? "admin";
}
