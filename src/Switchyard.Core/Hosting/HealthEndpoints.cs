using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Recording;
using Switchyard.Storage;

namespace Switchyard.Hosting;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (the store answers; queue figures).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Text("{\"status\":\"live\"}", "application/json"));
        app.MapGet("/health/ready", (HttpContext http) =>
        {
            var services = http.RequestServices;
            var recorder = services.GetRequiredService<CallRecorder>();
            var writer = services.GetRequiredService<CallRecordWriter>();
            var database = services.GetRequiredService<SqliteDatabase>();
            string? storeError = null;
            try
            {
                using var connection = database.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                command.ExecuteScalar();
            }
            catch (Exception ex)
            {
                storeError = ex.Message;
            }

            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("status", storeError is null ? "ready" : "degraded");
                json.WriteStartObject("store");
                json.WriteString("kind", "sqlite");
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
                json.WriteEndObject();
            }

            http.Response.StatusCode = storeError is null ? 200 : 503;
            return Results.Bytes(stream.ToArray(), "application/json");
        });
        return app;
    }
}
