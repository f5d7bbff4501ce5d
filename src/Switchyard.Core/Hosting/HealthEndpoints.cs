using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Recording;
using Switchyard.Routing;
using Switchyard.Storage;

namespace Switchyard.Hosting;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (the store answers; queue figures).
/// Both need no key; <c>auth.require_key_for: [ready]</c> closes <c>/health/ready</c>, which names every
/// deployment, to keys with the <c>read</c> scope. Liveness stays open for orchestrators.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var protect = app.ServiceProvider.GetRequiredService<Configuration.SwitchyardOptions>().Auth.RequireKeyFor;
        var access = app.ServiceProvider.GetRequiredService<Identity.ApiAccess>();
        app.MapGet("/health/live", () => Results.Text("{\"status\":\"live\"}", "application/json"));
        app.MapGet("/health/ready", async (HttpContext http) =>
        {
            var services = http.RequestServices;
            var recorder = services.GetRequiredService<CallRecorder>();
            var writer = services.GetRequiredService<CallRecordWriter>();
            var store = services.GetRequiredService<IStorageHealth>();
            var storeError = await store.CheckAsync(http.RequestAborted).ConfigureAwait(false);

            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("status", storeError is null ? "ready" : "degraded");
                json.WriteStartObject("store");
                json.WriteString("kind", store.Kind);
                json.WriteBoolean("ok", storeError is null);
                if (storeError is not null)
                {
                    json.WriteString("error", storeError);
                }

                json.WriteEndObject();
                json.WriteStartObject("recording");
                json.WriteNumber("queue_depth", recorder.Depth);
                json.WriteNumber("queue_capacity", recorder.Capacity);
                json.WriteNumber("enqueued", recorder.Enqueued);
                json.WriteNumber("written", writer.Written);
                json.WriteNumber("dropped", recorder.Dropped);
                json.WriteNumber("write_failures", writer.Failed);
                json.WriteNumber("unpriced_calls", services.GetRequiredService<Switchyard.Accounting.CallCost>().Unpriced);
                json.WriteNumber("write_lag_ms", Math.Round(writer.LastWriteLagMicroseconds / 1000.0, 3));
                json.WriteEndObject();
                var spans = services.GetRequiredService<Switchyard.Telemetry.SpanIngestQueue>();
                var spanWriter = services.GetRequiredService<Switchyard.Telemetry.SpanWriter>();
                json.WriteStartObject("ingestion");
                json.WriteNumber("queued_spans", spans.Queued);
                json.WriteNumber("queue_capacity", spans.Capacity);
                json.WriteNumber("accepted_spans", spans.Accepted);
                json.WriteNumber("refused_spans", spans.Refused);
                json.WriteNumber("written_spans", spanWriter.Written);
                json.WriteNumber("write_failures", spanWriter.Failed);
                json.WriteEndObject();
                var semantic = services.GetRequiredService<Caching.Semantic.SemanticCache>();
                json.WriteStartObject("semantic_cache");
                json.WriteNumber("index_queue_depth", semantic.IndexQueued);
                json.WriteNumber("index_queue_capacity", semantic.IndexCapacity);
                json.WriteNumber("index_skipped", semantic.IndexSkipped);
                json.WriteNumber("lookups_shed", semantic.Shed);
                json.WriteNumber("embeddings_in_flight", semantic.Embeddings.InFlight);
                json.WriteNumber("embedding_ms", Math.Round(semantic.Embeddings.PerText.TotalMilliseconds, 3));
                var (runs, texts) = semantic.Embeddings.Totals;
                json.WriteNumber("embedding_mean_batch", runs == 0 ? 0 : Math.Round((double)texts / runs, 2));
                json.WriteEndObject();
                WriteDeployments(json, services.GetRequiredService<Routing.ModelCatalog>(), services.GetRequiredService<TimeProvider>().GetUtcNow());
                json.WriteEndObject();
            }

            http.Response.StatusCode = storeError is null ? 200 : 503;
            return Results.Bytes(stream.ToArray(), "application/json");
        }).RequireKeyIf(protect, Configuration.ProtectedEndpoints.Ready, access, Identity.KeyScopes.Read);
        return app;
    }

    /// <summary>
    /// Every deployment's breaker and what routing knows of it. An open breaker does not make the gateway
    /// unready: the other deployments and fallbacks still serve, and a load balancer pulling every
    /// instance because one provider is down would turn a partial outage into a whole one.
    /// </summary>
    private static void WriteDeployments(Utf8JsonWriter json, Routing.ModelCatalog catalog, DateTimeOffset now)
    {
        json.WriteStartArray("deployments");
        foreach (var group in catalog.Groups)
        {
            foreach (var d in group.Deployments)
            {
                var health = d.Health;
                json.WriteStartObject();
                json.WriteString("name", d.Name);
                json.WriteString("model_group", group.Name);
                json.WriteString("provider", d.Provider);
                json.WriteString("breaker", health.Breaker.State.Label());
                if (health.Breaker.State == Routing.BreakerState.Open)
                {
                    json.WriteString("probe_after", health.Breaker.OpenUntil.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                }

                json.WriteBoolean("available", d.Options.Weight > 0 && health.Available(now));
                if (health.CoolingDown(now))
                {
                    json.WriteString("cooldown_until", health.CooldownUntil.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                }

                json.WriteNumber("in_flight", health.InFlight);
                WriteMs(json, "latency_ewma_ms", health.LatencyMs);
                WriteMs(json, "first_token_ewma_ms", health.FirstTokenMs);
                if (d.TracksHeadroom)
                {
                    json.WriteNumber("rate_limit_headroom", Math.Round(health.Headroom(now), 4));
                }

                if (health.LastCheck is { } check)
                {
                    json.WriteStartObject("health_check");
                    json.WriteString("at", check.At.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteBoolean("ok", check.Error is null);
                    if (check.Error is not null)
                    {
                        json.WriteString("error", check.Error);
                    }

                    json.WriteNumber("consecutive_failures", health.ConsecutiveCheckFailures);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
    }

    private static void WriteMs(Utf8JsonWriter json, string name, double ms)
    {
        if (double.IsNaN(ms))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, Math.Round(ms, 3));
        }
    }
}
