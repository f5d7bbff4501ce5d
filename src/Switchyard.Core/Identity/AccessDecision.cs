namespace Switchyard.Identity;

/// <summary>
/// The outcome of checking a request's key against the scopes an endpoint needs. A 429 (the client
/// address failed too often) carries <see cref="RetryAfter"/> for the <c>Retry-After</c> header.
/// </summary>
internal readonly record struct AccessDecision(bool Allowed, int Status, string? Message, VirtualKey? Key, TimeSpan? RetryAfter = null, Reach? Reach = null)
{
    public bool IsAdmin => Allowed && (Key is null || Key.Scopes.Allows(KeyScopes.Admin));

    /// <summary>What an allowed caller may see and change; nothing for a refused one.</summary>
    public Reach Scope => Reach ?? throw new InvalidOperationException("A refused request has no reach.");
}
