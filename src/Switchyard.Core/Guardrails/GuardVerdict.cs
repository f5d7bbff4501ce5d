using Switchyard.Configuration;

namespace Switchyard.Guardrails;

/// <summary>
/// One guard's decision on one call: whether it fired, its score, what it found, what was done and how
/// long it took. A verdict a guard finishes after the answer (an injection classifier in flag mode,
/// waiting for the turn's embedding in the background) is completed in place before the call is recorded.
/// </summary>
internal sealed class GuardVerdict(string guard, GuardType type, GuardDirection direction)
{
    public string Guard { get; } = guard;

    public GuardType Type { get; } = type;

    public GuardDirection Direction { get; } = direction;

    public bool Fired { get; set; }

    /// <summary>0–1 for scoring guards (injection, topic); null for guards that find spans or rules.</summary>
    public double? Score { get; set; }

    /// <summary>What the gateway did: the guard's action when it fired, <c>none</c> when it did not, <c>error</c> when it failed.</summary>
    public string Action { get; set; } = "none";

    public List<GuardFinding> Findings { get; } = [];

    /// <summary>Named signals behind a score (heuristics that matched, <c>classifier</c>), or why a part was skipped.</summary>
    public List<string> Signals { get; } = [];

    public TimeSpan Latency { get; set; }

    /// <summary>Since the call started.</summary>
    public TimeSpan Offset { get; set; }

    /// <summary>Why the guard could not decide (the call then followed <c>on_error</c>).</summary>
    public string? Error { get; set; }

    /// <summary>Finished after the answer (the header said <c>deferred</c>).</summary>
    public bool Deferred { get; set; }

    /// <summary>The word for the response header and the metric: pass, fired, error or deferred.</summary>
    public string Outcome => Error is not null ? "error" : Fired ? "fired" : Deferred ? "deferred" : "pass";
}
