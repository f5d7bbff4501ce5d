using Switchyard.Identity;

namespace Switchyard.Tracing;

/// <summary>Who writes a span or score: the key id stored with the row ('admin' for the admin key) and the reach that bounds where it may write.</summary>
internal readonly record struct TraceWriter(string KeyId, Reach Reach)
{
    public const string AdminKeyId = "admin";

    public static TraceWriter Admin => new(AdminKeyId, Reach.Everything);

    /// <summary>The team stored with the row.</summary>
    public string? Team => Reach.Team;

    public static TraceWriter Of(AccessDecision decision) => new(decision.Key?.Id ?? AdminKeyId, decision.Scope);
}
