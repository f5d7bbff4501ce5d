using System.Security.Claims;
using Switchyard.Identity;

namespace Switchyard.Dashboard;

/// <summary>
/// Who may use the dashboard: the admin key (may change everything) or a virtual key with the
/// <c>read</c> scope (sees, cannot change) or <c>admin</c>. The session cookie holds the key's hash, never
/// the key, and every request checks it again, so a revoked, expired or rotated-out key loses its
/// sessions at once.
/// </summary>
internal sealed class DashboardAccess(AdminKey admin, KeyRegistry registry, TimeProvider time)
{
    public const string RoleClaim = "sy-role";
    public const string HashClaim = "sy-key-hash";
    public const string SubjectClaim = "sy-subject";
    public const string Admin = "admin";
    public const string Reader = "read";

    // A team id no team can have (ids are generated without NUL), so a reach nothing matches.
    private static readonly Reach s_nowhere = new("\0", "\0");

    /// <summary>Who signed in: the key's id, or <c>admin</c>.</summary>
    public static string SubjectOf(ClaimsPrincipal user) => user.FindFirstValue(SubjectClaim) ?? "";

    /// <summary>True for a session that may change things (the admin key, or a key with the admin scope).</summary>
    public static bool IsAdmin(ClaimsPrincipal user) => user.FindFirstValue(RoleClaim) == Admin;

    /// <summary>
    /// How far the signed-in key reaches, read from the registry on every request so a key moved to
    /// another team takes its sessions with it. A session whose key is gone reaches nothing it could
    /// read (it is signed out by <see cref="StillValid"/> before any page renders).
    /// </summary>
    public Reach ReachOf(ClaimsPrincipal principal)
    {
        var stored = principal.FindFirstValue(HashClaim);
        Span<byte> digest = stackalloc byte[32];
        if (stored is null || !Convert.TryFromBase64String(stored, digest, out var written) || written != 32)
        {
            return s_nowhere;
        }

        var hash = SecretHash.From(digest);
        if (admin.Matches(hash))
        {
            return Reach.Everything;
        }

        return registry.Check(hash, time.GetUtcNow(), out var key) == KeyCheck.Valid ? Reach.Of(key!, registry) : s_nowhere;
    }

    /// <summary>
    /// The session's identity for a presented key, or null with why not. <paramref name="wrongKey"/> says
    /// the refusal counts as a failed authentication: a key was entered and it is no valid key (a valid
    /// key without the scope is no guess, and an empty form is no attempt).
    /// </summary>
    public ClaimsPrincipal? SignIn(string? presented, out string? refusal, out bool wrongKey)
    {
        refusal = null;
        wrongKey = false;
        if (string.IsNullOrWhiteSpace(presented) || presented.Length > 512)
        {
            wrongKey = !string.IsNullOrWhiteSpace(presented);
            refusal = "Enter the admin key or a key with the read scope.";
            return null;
        }

        var hash = KeySecret.Hash(presented.Trim());
        var role = RoleOf(hash, out var name, out var subject, out refusal, out var check);
        if (role is null)
        {
            wrongKey = check != KeyCheck.Valid;
            return null;
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(RoleClaim, role), new Claim(HashClaim, Convert.ToBase64String(hash.ToBytes())), new Claim(SubjectClaim, subject)],
            DashboardSetup.Scheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>True while the key behind the session still grants what the session says.</summary>
    public bool StillValid(ClaimsPrincipal principal)
    {
        var role = principal.FindFirstValue(RoleClaim);
        var stored = principal.FindFirstValue(HashClaim);
        if (role is null || stored is null)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[32];
        if (!Convert.TryFromBase64String(stored, digest, out var written) || written != 32)
        {
            return false;
        }

        return RoleOf(SecretHash.From(digest), out _, out _, out _, out _) == role;
    }

    private string? RoleOf(in SecretHash hash, out string name, out string subject, out string? refusal, out KeyCheck check)
    {
        refusal = null;
        name = "admin";
        subject = "admin";
        check = KeyCheck.Valid;
        if (admin.Matches(hash))
        {
            return Admin;
        }

        check = registry.Check(hash, time.GetUtcNow(), out var key);
        if (check != KeyCheck.Valid)
        {
            refusal = KeyMessages.Rejected(check, key);
            return null;
        }

        name = key!.Name is { Length: > 0 } keyName ? $"{keyName} ({key.Id})" : key.Id;
        subject = key.Id;
        if (key.Scopes.Allows(KeyScopes.Admin))
        {
            return Admin;
        }

        if (key.Scopes.Allows(KeyScopes.Read))
        {
            return Reader;
        }

        refusal = $"The key '{key.Id}' has neither the read nor the admin scope.";
        return null;
    }
}
