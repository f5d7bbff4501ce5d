using Microsoft.AspNetCore.Http;

namespace Switchyard.Dashboard;

/// <summary>
/// Browser-side protections for every dashboard response: a Content-Security-Policy that allows only the
/// dashboard's own scripts and stylesheets (its pages carry no inline script or style), no framing, no
/// MIME sniffing and no Referer leaving the page (URLs can hold trace ids and filters).
/// </summary>
/// <remarks>
/// The policy starts from nothing (<c>default-src 'none'</c>) and allows only what the pages use: their
/// scripts and stylesheet, the same-origin <c>fetch</c> of the live refresh, images from the origin (the
/// browser's favicon request), and forms posting back to the dashboard.
/// </remarks>
internal static class DashboardSecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/ui", StringComparison.Ordinal) || path == "/")
        {
            // Set before the endpoint runs, so that antiforgery, which adds X-Frame-Options only when absent, keeps ours.
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
        }

        return next(context);
    }
}
