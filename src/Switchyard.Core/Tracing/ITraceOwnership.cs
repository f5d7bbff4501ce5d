namespace Switchyard.Tracing;

/// <summary>
/// Whether a key may add spans or scores to a trace: yes when the trace holds a call or span of the
/// key's team (of the key itself, for a key without a team), or holds nothing yet, which is how a new
/// trace starts. A trace of another team is answered as if it did not exist.
/// </summary>
/// <remarks>
/// Gateway calls and spans are written in the background, so a score sent at once after its call may
/// find the trace still empty: it is accepted and carries its writer's team, so another team's reader
/// never sees it. Trace ids are 128 random bits, so a trace cannot be claimed before it exists.
/// </remarks>
internal interface ITraceOwnership
{
    /// <summary>The trace ids, of those given, that <paramref name="writer"/> may not write to; none for a writer that writes everything.</summary>
    Task<IReadOnlySet<string>> RefusedAsync(IReadOnlyCollection<string> traceIds, TraceWriter writer, CancellationToken cancellationToken);
}
