using System.Text;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Identity;

/// <summary>
/// Authorises the non-gateway endpoints (<c>/api</c>, OTLP, scores, feedback): the admin key may do
/// everything; a virtual key needs one of the scopes the endpoint accepts. Keys come from
/// <c>Authorization: Bearer</c>, <c>x-api-key</c>, or the password of <c>Authorization: Basic</c>
/// (how Langfuse and OTLP exporters send credentials). A client address that failed too often is refused
/// with 429 before its key is looked at (<see cref="FailedAuthThrottle"/>).
/// </summary>
internal sealed class ApiAccess(AdminKey admin, KeyRegistry registry, TimeProvider time, FailedAuthThrottle throttle)
{
    /// <param name="endpoint">The <c>endpoint</c> tag of the failed-authentication metrics.</param>
    public AccessDecision Authorize(HttpRequest request, KeyScopes anyOf, string endpoint = FailedAuthThrottle.Api)
    {
        if (throttle.IsBlocked(request.HttpContext, endpoint, out var retryAfter))
        {
            return new AccessDecision(false, 429, FailedAuthThrottle.Refusal(retryAfter), null, retryAfter);
        }

        var presented = Presented(request);
        if (presented.IsEmpty)
        {
            return new AccessDecision(false, 401, "A key is required: send 'Authorization: Bearer <key>'.", null);
        }

        var hash = KeySecret.Hash(presented);
        if (admin.Matches(hash))
        {
            return new AccessDecision(true, 200, null, null, Reach: Reach.Everything);
        }

        var check = registry.Check(hash, time.GetUtcNow(), out var key);
        if (check != KeyCheck.Valid)
        {
            throttle.RecordFailure(request.HttpContext, endpoint);
            return new AccessDecision(false, 401, KeyMessages.Rejected(check, key), null);
        }

        if ((key!.Scopes & (anyOf | KeyScopes.Admin)) == 0)
        {
            return new AccessDecision(false, 403, $"This key's scopes ({string.Join(", ", KeyScopeNames.Names(key.Scopes))}) do not include {string.Join(" or ", KeyScopeNames.Names(anyOf))}.", key);
        }

        return new AccessDecision(true, 200, null, key, Reach: Reach.Of(key, registry));
    }

    private static ReadOnlySpan<char> Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 ? decoded.AsSpan(colon + 1) : default;
            }
            catch (FormatException)
            {
                return default;
            }
        }

        return PresentedKey.From(request);
    }
}
