namespace Switchyard.Prompts.Traffic;

/// <summary>
/// Experiments and rollouts as stored. At most one split runs per prompt label; every change is a
/// compare-and-set on the split's revision, so two gateways (or a person and the rollout service) never
/// both advance, roll back or stop the same split.
/// </summary>
internal interface IPromptTrafficStore
{
    /// <summary>Stores a new split; false when one already runs on the same prompt label.</summary>
    Task<bool> CreateAsync(TrafficSplit split, CancellationToken cancellationToken);

    Task<TrafficSplit?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The prompt's splits (every prompt's when null), newest first.</summary>
    Task<IReadOnlyList<TrafficSplit>> ListAsync(string? prompt, CancellationToken cancellationToken);

    /// <summary>Every running split.</summary>
    Task<IReadOnlyList<TrafficSplit>> RunningAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the split if its stored revision is still <paramref name="expectedRevision"/>; the stored one gets the next revision.</summary>
    Task<TrafficSplit?> UpdateAsync(TrafficSplit split, int expectedRevision, CancellationToken cancellationToken);
}
