namespace Switchyard.Guardrails;

/// <summary>
/// What the guardrails did over a time window, read from the recorded calls: checks and triggers per guard
/// over time, who triggers them most, and the calls they blocked. A team-bound reader sees its team's calls.
/// </summary>
internal interface IGuardrailReader
{
    /// <summary>Checks and fired verdicts per guard and direction, per bucket of <paramref name="bucket"/>, oldest first.</summary>
    Task<IReadOnlyList<GuardrailBucket>> TriggersAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, Identity.Reach reach, CancellationToken cancellationToken);

    /// <summary>The keys or users (<paramref name="by"/>: <c>key</c> or <c>user</c>) whose calls fired guards most, most first.</summary>
    Task<IReadOnlyList<GuardrailSubject>> TopAsync(DateTimeOffset from, DateTimeOffset to, string by, int limit, Identity.Reach reach, CancellationToken cancellationToken);

    /// <summary>The latest calls a guard blocked, newest first.</summary>
    Task<IReadOnlyList<BlockedCall>> BlockedAsync(DateTimeOffset from, DateTimeOffset to, int limit, Identity.Reach reach, CancellationToken cancellationToken);
}
