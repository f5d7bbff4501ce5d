namespace Switchyard.Configuration;

internal sealed class AuthOptions
{
    /// <summary>Shortest admin key accepted: a human-chosen key needs the length to resist guessing.</summary>
    public const int MinAdminKeyLength = 32;

    /// <summary>The admin key, resolved from its reference. Never logged or returned.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Allow <c>/v1</c> without a key. Only honoured when every listener is loopback.</summary>
    public bool AllowAnonymousOnLoopback { get; set; } = true;

    /// <summary>A dashboard session ends after this long without a request.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A dashboard session ends this long after sign-in, however active it is.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed authentications one client address may make per <see cref="FailedAuthWindow"/> before it gets 429; 0 turns throttling off.</summary>
    public int FailedAuthLimit { get; set; } = 10;

    /// <summary>The window of <see cref="FailedAuthLimit"/>: the allowance refills evenly over it.</summary>
    public TimeSpan FailedAuthWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Endpoints that answer without a key by default but should need one.</summary>
    public ProtectedEndpoints RequireKeyFor { get; set; }
}
