using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchyard.Configuration;
using Switchyard.Identity;

namespace Switchyard.Hosting;

/// <summary>
/// Closes an endpoint that answers without a key by default, when <c>auth.require_key_for</c> names it:
/// then it takes a key the way <c>/api</c> does (<see cref="ApiAccess"/>: the admin key, or a virtual key
/// with the scope; refused keys count towards the failed-authentication throttle).
/// </summary>
internal static class KeyRequirement
{
    /// <summary>Adds the check to a route handler when <paramref name="protect"/> contains <paramref name="endpoint"/>.</summary>
    /// <param name="throttleTag">The <c>endpoint</c> tag of the failed-authentication metrics.</param>
    public static RouteHandlerBuilder RequireKeyIf(this RouteHandlerBuilder builder, ProtectedEndpoints protect, ProtectedEndpoints endpoint, ApiAccess access, KeyScopes scopes, string throttleTag = FailedAuthThrottle.Api)
    {
        if ((protect & endpoint) == 0)
        {
            return builder;
        }

        return builder.AddEndpointFilter(async (context, next) =>
        {
            var decision = access.Authorize(context.HttpContext.Request, scopes, throttleTag);
            return decision.Allowed ? await next(context).ConfigureAwait(false) : ApiBody.Denied(context.HttpContext, decision);
        });
    }

    /// <summary>The same check as middleware, for endpoints that are not route handlers (the Prometheus exporter's branch).</summary>
    public static void RequireKey(this IApplicationBuilder branch, ApiAccess access, KeyScopes scopes) => branch.Use(async (http, next) =>
    {
        var decision = access.Authorize(http.Request, scopes);
        if (!decision.Allowed)
        {
            await ApiBody.Denied(http, decision).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        await next(http).ConfigureAwait(false);
    });
}
