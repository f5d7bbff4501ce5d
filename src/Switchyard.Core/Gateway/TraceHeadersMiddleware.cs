using Microsoft.AspNetCore.Http;

namespace Switchyard.Gateway;

/// <summary>
/// Gives every response its <c>x-switchyard-trace-id</c> / <c>x-switchyard-span-id</c>, including
/// the ones that never reach the gateway pipeline (model lists, health, unknown URLs, admin API).
/// </summary>
internal sealed class TraceHeadersMiddleware(TimeProvider time)
{
    private static readonly object s_key = new();

    public Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        Assign(http, TraceIds.FromHeader(http.Request.Headers.TraceParent, time));
        return next(http);
    }

    /// <summary>
    /// Replaces the ids of a request whose response has not started, so headers, the call record and
    /// an exported span all carry the same ones (see <see cref="TraceIds.WithSpan"/>).
    /// </summary>
    public static void Assign(HttpContext http, TraceIds trace)
    {
        http.Items[s_key] = trace;
        var headers = http.Response.Headers;
        headers["x-switchyard-trace-id"] = trace.TraceIdHex;
        headers["x-switchyard-span-id"] = trace.SpanIdHex;
    }

    /// <summary>The ids the middleware assigned, or new ones when it did not run (unit tests).</summary>
    public static TraceIds For(HttpContext http, TimeProvider time) =>
        http.Items.TryGetValue(s_key, out var value) && value is TraceIds trace ? trace : TraceIds.FromHeader(http.Request.Headers.TraceParent, time);
}
