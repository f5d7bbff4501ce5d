namespace Switchyard.Gateway;

/// <summary>
/// One try of one deployment within a call: which deployment of which model group, what it answered,
/// when it started (from the call's start), how long it took, and why it failed (<see cref="Reason"/>,
/// a <c>FailureReason</c> label) if it did.
/// </summary>
internal sealed record Attempt(string Deployment, int Status, TimeSpan Latency, string? Error)
{
    public string? Group { get; init; }

    public string? Reason { get; init; }

    public TimeSpan Start { get; init; }

    /// <summary>How long routing waited (backoff or <c>Retry-After</c>) before this attempt.</summary>
    public TimeSpan Waited { get; init; }
}
