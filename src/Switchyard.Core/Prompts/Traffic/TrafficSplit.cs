namespace Switchyard.Prompts.Traffic;

/// <summary>
/// An experiment or a rollout on one prompt label: while it runs, the label's calls are spread over its
/// variants by a hash of the call's unit (user, session or key), so the same unit always gets the same
/// variant. Stored whole; <see cref="Revision"/> makes every change a compare-and-set.
/// </summary>
internal sealed record TrafficSplit
{
    public const string Running = "running";

    public required string Id { get; init; }

    public required SplitKind Kind { get; init; }

    public required string Prompt { get; init; }

    public required string Label { get; init; }

    /// <summary><c>running</c>; an experiment then <c>stopped</c> or <c>decided</c>; a rollout <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public string Status { get; init; } = Running;

    /// <summary>An experiment's arms; a rollout's are <see cref="RolloutVariants"/>.</summary>
    public IReadOnlyList<TrafficVariant> Variants { get; init; } = [];

    /// <summary>What assignment sticks to: <c>user</c> (then session, then key), <c>session</c> (then key) or <c>key</c>.</summary>
    public string Unit { get; init; } = "user";

    /// <summary>Calls per variant before a verdict (experiments) or per step (rollouts).</summary>
    public int MinSample { get; init; } = 200;

    public string? Winner { get; init; }

    public int FromVersion { get; init; }

    public int ToVersion { get; init; }

    /// <summary>The canary's share at each step, in percent, ending at 100.</summary>
    public IReadOnlyList<int> Steps { get; init; } = [];

    public int StepIndex { get; init; }

    public DateTimeOffset StepStartedAt { get; init; }

    /// <summary>The least time a step lasts.</summary>
    public TimeSpan Interval { get; init; }

    public Rollouts.RolloutGates Gates { get; init; } = new();

    /// <summary>Why a rollout failed: the gate and the figures.</summary>
    public string? Failure { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required string CreatedBy { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int Revision { get; init; }

    public bool IsRunning => Status == Running;

    /// <summary>A rollout as two arms: the current version and the canary with the step's share.</summary>
    public IReadOnlyList<TrafficVariant> RolloutVariants()
    {
        var share = Steps.Count == 0 ? 0 : Steps[Math.Min(StepIndex, Steps.Count - 1)];
        return [new TrafficVariant("canary", ToVersion, share), new TrafficVariant("stable", FromVersion, 100 - share)];
    }

    /// <summary>A rollout as the evaluator reads it.</summary>
    public Rollouts.RolloutPlan Plan() => new(Prompt, Label, FromVersion, ToVersion, Steps, MinSample, Interval) { Gates = Gates };

    /// <summary>The arms calls are spread over now.</summary>
    public IReadOnlyList<TrafficVariant> Arms() => Kind == SplitKind.Rollout ? RolloutVariants() : Variants;
}
