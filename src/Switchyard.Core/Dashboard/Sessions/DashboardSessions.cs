using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Switchyard.Configuration;

namespace Switchyard.Dashboard.Sessions;

/// <summary>
/// The server side of dashboard sessions: a random id per sign-in, kept (hashed) in the store and in the
/// cookie, and checked on every request against the idle timeout and the absolute lifetime. Signing out
/// deletes it, so a copy of the cookie made before is worth nothing afterwards.
/// </summary>
internal sealed class DashboardSessions(IDashboardSessionStore store, AuthOptions auth, TimeProvider time)
{
    public const string SessionClaim = "sy-session";

    /// <summary>Activity is written at most this often per session: a page view is a read, not a write.</summary>
    private static readonly TimeSpan s_touchEvery = TimeSpan.FromMinutes(1);

    /// <summary>Opens a session for <paramref name="principal"/> and adds its id to the principal's claims.</summary>
    public async Task StartAsync(ClaimsPrincipal principal, string subject, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.DeleteExpiredAsync(now, now - auth.SessionIdleTimeout, cancellationToken).ConfigureAwait(false);
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await store.CreateAsync(new DashboardSession(Hash(id), subject, now, now, now + auth.SessionLifetime), cancellationToken).ConfigureAwait(false);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionClaim, id));
    }

    /// <summary>True while the principal's session exists, has not idled out and is within its lifetime; records the activity.</summary>
    public async Task<bool> StillOpenAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.FindFirstValue(SessionClaim) is not { Length: > 0 and <= 128 } id)
        {
            return false;
        }

        var hash = Hash(id);
        if (await store.FindAsync(hash, cancellationToken).ConfigureAwait(false) is not { } session)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (now >= session.ExpiresAt || now - session.LastSeenAt > auth.SessionIdleTimeout)
        {
            await store.DeleteAsync(hash, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (now - session.LastSeenAt >= s_touchEvery)
        {
            await store.TouchAsync(hash, now, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Ends the principal's session on the server (sign-out, or its key no longer valid).</summary>
    public Task EndAsync(ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        principal.FindFirstValue(SessionClaim) is { Length: > 0 and <= 128 } id ? store.DeleteAsync(Hash(id), cancellationToken) : Task.CompletedTask;

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
