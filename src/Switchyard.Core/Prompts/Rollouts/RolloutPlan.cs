namespace Switchyard.Prompts.Rollouts;

/// <summary>
/// A canary of <see cref="ToVersion"/> on <see cref="Label"/> of <see cref="Prompt"/>: the new version takes
/// each percentage in <see cref="Steps"/> in turn, each step lasting at least <see cref="Interval"/> and
/// <see cref="MinCallsPerStep"/> calls on the new version, while <see cref="Gates"/> hold.
/// </summary>
internal sealed record RolloutPlan(string Prompt, string Label, int FromVersion, int ToVersion, IReadOnlyList<int> Steps, int MinCallsPerStep, TimeSpan Interval)
{
    public RolloutGates Gates { get; init; } = new();

    /// <summary>Null when the plan can run, else what is wrong with it.</summary>
    public string? Problem()
    {
        if (Steps.Count == 0)
        {
            return "a rollout needs at least one step";
        }

        for (var i = 0; i < Steps.Count; i++)
        {
            if (Steps[i] is <= 0 or > 100 || (i > 0 && Steps[i] <= Steps[i - 1]))
            {
                return "steps must be increasing percentages between 1 and 100";
            }
        }

        if (MinCallsPerStep < 1)
        {
            return "min calls per step must be at least 1";
        }

        return FromVersion == ToVersion ? "the new version is the current one" : null;
    }
}
