using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

internal sealed class AuthOptions
{
    /// <summary>Shortest admin key accepted: a human-chosen key needs the length to resist guessing.</summary>
    public const int MinAdminKeyLength = 32;

    /// <summary>The admin key, resolved from its reference. Never logged or returned.</summary>
    [ConfigurationKeyName("admin_key"), ConfigValue(Secret = true)]
    public string? AdminKey { get; set; }

    /// <summary>Allow <c>/v1</c> without a key. Only honoured when every listener is loopback.</summary>
    [ConfigurationKeyName("allow_anonymous_on_loopback")]
    public bool AllowAnonymousOnLoopback { get; set; } = true;

    /// <summary>A dashboard session ends after this long without a request.</summary>
    [ConfigurationKeyName("session_idle_timeout")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A dashboard session ends this long after sign-in, however active it is.</summary>
    [ConfigurationKeyName("session_lifetime")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed authentications one client address may make per <see cref="FailedAuthWindow"/> before it gets 429; 0 turns throttling off.</summary>
    [ConfigurationKeyName("failed_auth_limit"), ConfigValue(Min = 0, Max = 1_000_000)]
    public int FailedAuthLimit { get; set; } = 10;

    /// <summary>The window of <see cref="FailedAuthLimit"/>: the allowance refills evenly over it.</summary>
    [ConfigurationKeyName("failed_auth_window")]
    public TimeSpan FailedAuthWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Endpoints that answer without a key by default but should need one.</summary>
    [ConfigurationKeyName("require_key_for")]
    public ProtectedEndpoints RequireKeyFor { get; set; }
}
