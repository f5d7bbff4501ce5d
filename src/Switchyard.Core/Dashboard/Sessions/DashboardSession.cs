namespace Switchyard.Dashboard.Sessions;

/// <summary>A signed-in dashboard session as the server keeps it; the cookie carries only its random id.</summary>
/// <param name="IdHash">SHA-256 of the session id (hex): a stolen database does not yield usable cookies.</param>
/// <param name="Subject">Who signed in: a virtual key's id, or <c>admin</c> for the admin key.</param>
internal sealed record DashboardSession(string IdHash, string Subject, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt);
