namespace Switchyard.Prompts;

/// <summary>
/// The calls an experiment or a rollout is judged on: every call that rendered a prompt under a label and
/// was assigned a variant, since a time, with its feedback and scores. Read from the call records.
/// </summary>
internal interface IPromptCallSamples
{
    /// <summary>The calls from <paramref name="since"/> to <paramref name="until"/> (open when null), oldest first.</summary>
    Task<IReadOnlyList<Experiments.ExperimentSample>> ReadAsync(string prompt, string label, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken);
}
