using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Identity;
using Switchyard.Tracing;

namespace Switchyard.Hosting;

/// <summary>
/// <c>/api/traces</c> (list, export, one trace), <c>/api/scores</c>, and <c>/api/feedback</c>, which a
/// browser app may call (CORS).
/// </summary>
internal static class TracesApi
{
    private const int MaxBody = 64 * 1024;

    public static RouteGroupBuilder MapTracesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/traces", async (HttpContext http, ITraceReader store) =>
        {
            if (!TraceFilter.TryParse(http.Request.Query, out var filter, out var error))
            {
                return ApiBody.BadRequest(error!);
            }

            return await ApiBody.JsonAsync(json => store.ListAsync(filter.Within(Reach.Of(http)), json, null, includeContent: false, http.RequestAborted)).ConfigureAwait(false);
        });

        api.MapGet("/traces/export", async (HttpContext http, ITraceReader store) =>
        {
            if (!TraceFilter.TryParse(http.Request.Query, out var filter, out var error))
            {
                await ApiBody.BadRequest(error!).ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            // JSON Lines, one call per line with its content, newest first; `limit` bounds the export.
            http.Response.ContentType = "application/x-ndjson";
            var buffer = new MemoryStream();
            await store.ListAsync(filter.Within(Reach.Of(http)) with { Limit = http.Request.Query.ContainsKey("limit") ? filter.Limit : TraceFilter.MaxLimit }, null, buffer, includeContent: true, http.RequestAborted).ConfigureAwait(false);
            buffer.Position = 0;
            await buffer.CopyToAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
        });

        api.MapGet("/traces/{traceId}", async (string traceId, HttpContext http, ITraceReader store) =>
        {
            if (traceId.Length != 32 || !traceId.All(char.IsAsciiHexDigit))
            {
                return ApiBody.BadRequest("A trace id is 32 hexadecimal characters.");
            }

            var found = true;
            var result = await ApiBody.JsonAsync(async json => found = await store.GetAsync(traceId.ToLowerInvariant(), json, Reach.Of(http), http.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
            return found ? result : ApiBody.Error(404, $"No trace {traceId}.", "not_found");
        });

        api.MapGet("/metrics/summary", (HttpContext http, ITraceAggregates aggregates, TimeProvider time) => AggregateAsync(http, aggregates, time, bucketed: false));
        api.MapGet("/metrics/timeseries", (HttpContext http, ITraceAggregates aggregates, TimeProvider time) => AggregateAsync(http, aggregates, time, bucketed: true));

        api.MapPost("/scores", async (HttpContext http, ScoreIntake scores) =>
        {
            var body = await ReadBodyAsync(http).ConfigureAwait(false);
            if (body is null)
            {
                return ApiBody.Error(413, $"The body is larger than {MaxBody} bytes.", "request_too_large");
            }

            return Created(await scores.AddScoreAsync(body, new TraceWriter(KeyIdOf(http), Reach.Of(http))).ConfigureAwait(false));
        }).WithMetadata(new RequiredScope(KeyScopes.Ingest));
        return api;
    }

    private static async Task<IResult> AggregateAsync(HttpContext http, ITraceAggregates aggregates, TimeProvider time, bool bucketed)
    {
        if (!TraceFilter.TryParse(http.Request.Query, out var parsed, out var error))
        {
            return ApiBody.BadRequest(error!);
        }

        var filter = parsed.Within(Reach.Of(http));
        var groupBy = http.Request.Query["group_by"].ToString();
        if (groupBy.Length > 0 && !TraceAggregates.Dimensions.ContainsKey(groupBy))
        {
            return ApiBody.BadRequest($"group_by: one of {string.Join(", ", TraceAggregates.Dimensions.Keys)}.");
        }

        TimeSpan? bucket = null;
        if (bucketed)
        {
            var text = http.Request.Query["bucket"].ToString();
            if (!Configuration.ConfigLoader.TryParseDuration(text.Length == 0 ? "1h" : text, out var size) || size < TimeSpan.FromSeconds(1))
            {
                return ApiBody.BadRequest("bucket: a duration of at least 1s, such as 1m, 5m, 1h or 24h.");
            }

            var (from, to) = TraceAggregates.Window(filter, time);
            if ((to - from) / (long)size.TotalMicroseconds > TraceAggregates.MaxBuckets)
            {
                return ApiBody.BadRequest($"bucket: the window would have more than {TraceAggregates.MaxBuckets} buckets; use a larger bucket.");
            }

            bucket = size;
        }

        return await ApiBody.JsonAsync(json => aggregates.WriteAsync(filter, groupBy.Length == 0 ? null : groupBy, bucket, json, approximate: false, http.RequestAborted)).ConfigureAwait(false);
    }

    /// <summary>
    /// Feedback from end users' browsers: CORS preflight is answered without a key; the POST needs a
    /// key with the <c>feedback</c> (or <c>ingest</c>) scope, which is safe to ship in a browser app.
    /// </summary>
    public static IEndpointRouteBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<ApiAccess>();
        app.MapMethods("/api/feedback", ["OPTIONS"], (HttpContext http) =>
        {
            AllowCors(http);
            http.Response.Headers.AccessControlAllowMethods = "POST, OPTIONS";
            http.Response.Headers.AccessControlAllowHeaders = "authorization, content-type, x-api-key";
            http.Response.Headers.AccessControlMaxAge = "86400";
            return Results.NoContent();
        });
        app.MapPost("/api/feedback", async (HttpContext http, ScoreIntake scores) =>
        {
            AllowCors(http);
            var decision = access.Authorize(http.Request, KeyScopes.Feedback | KeyScopes.Ingest);
            if (!decision.Allowed)
            {
                return ApiBody.Denied(http, decision);
            }

            var body = await ReadBodyAsync(http).ConfigureAwait(false);
            if (body is null)
            {
                return ApiBody.Error(413, $"The body is larger than {MaxBody} bytes.", "request_too_large");
            }

            return Created(await scores.AddFeedbackAsync(body, TraceWriter.Of(decision)).ConfigureAwait(false));
        });
        return app;
    }

    private static IResult Created((long Id, string? Error, int Status) result) => result.Error is null
        ? Results.Json(new CreatedId(result.Id), TracingJson.Default.CreatedId, statusCode: 201)
        : ApiBody.Error(result.Status, result.Error, result.Status == 404 ? "not_found" : null);

    private static string KeyIdOf(HttpContext http) => Reach.Of(http).Key?.Id ?? TraceWriter.AdminKeyId;

    private static void AllowCors(HttpContext http)
    {
        // Any origin may send feedback: the key, not the origin, is what authorises it.
        http.Response.Headers.AccessControlAllowOrigin = http.Request.Headers.Origin.Count > 0 ? http.Request.Headers.Origin.ToString() : "*";
        http.Response.Headers.Vary = "Origin";
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext http)
    {
        using var body = await Ingress.RequestBodyReader.ReadAsync(http.Request, MaxBody, http.RequestAborted).ConfigureAwait(false);
        return body?.Span.ToArray();
    }
}
