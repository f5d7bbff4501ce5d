using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Gateway;
using Switchyard.Identity;
using Switchyard.Telemetry;
using Switchyard.Telemetry.Otlp;
using Switchyard.Tracing;

namespace Switchyard.Hosting;

/// <summary>
/// OpenTelemetry in: <c>POST /v1/traces</c> (OTLP/HTTP, protobuf or JSON, gzip or not), the same at
/// <c>/api/public/otel/v1/traces</c> with HTTP Basic auth for the Langfuse SDKs, and Langfuse's
/// <c>POST /api/public/ingestion</c> for the scores those SDKs send.
/// </summary>
internal static class IngestionEndpoints
{
    private const long MaxBody = 16L * 1024 * 1024;
    private const long MaxDecompressed = 64L * 1024 * 1024;

    public static IEndpointRouteBuilder MapIngestion(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<ApiAccess>();
        app.MapPost("/v1/traces", (HttpContext http, SpanIngestQueue queue, ITraceOwnership ownership) => IngestAsync(http, queue, ownership, access));
        app.MapPost("/api/public/otel/v1/traces", (HttpContext http, SpanIngestQueue queue, ITraceOwnership ownership) => IngestAsync(http, queue, ownership, access));
        app.MapPost("/api/public/ingestion", (HttpContext http, ScoreIntake scores) => LangfuseIngestionAsync(http, scores, access));
        return app;
    }

    private static async Task IngestAsync(HttpContext http, SpanIngestQueue queue, ITraceOwnership ownership, ApiAccess access)
    {
        var json = http.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
        var decision = access.Authorize(http.Request, KeyScopes.Ingest);
        if (!decision.Allowed)
        {
            await DeniedAsync(http, decision, " (Authorization: Bearer <key>, or Basic with the key as password).").ConfigureAwait(false);
            return;
        }

        if (!json && http.Request.ContentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) != true)
        {
            await ErrorAsync(http, 415, "Send OTLP as application/x-protobuf or application/json.").ConfigureAwait(false);
            return;
        }

        using var body = await Ingress.RequestBodyReader.ReadAsync(http.Request, MaxBody, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await ErrorAsync(http, 413, $"The export is larger than {MaxBody} bytes; send smaller batches.").ConfigureAwait(false);
            return;
        }

        ReadOnlyMemory<byte> payload = body.Memory;
        if (http.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                payload = OtlpTraceDecoder.Decompress(body.Span, MaxDecompressed);
            }
            catch (OtlpBodyTooLargeException)
            {
                await ErrorAsync(http, 413, $"The export decompresses to more than {MaxDecompressed} bytes.").ConfigureAwait(false);
                return;
            }
            catch (InvalidDataException)
            {
                await ErrorAsync(http, 400, "Content-Encoding says gzip but the body is not gzip.").ConfigureAwait(false);
                return;
            }
        }

        if (!OtlpTraceDecoder.TryDecode(payload.Span, json ? OtlpEncoding.Json : OtlpEncoding.Protobuf, out var spans, out var error))
        {
            await ErrorAsync(http, 400, error!).ConfigureAwait(false);
            return;
        }

        var accepted = await OwnedAsync(spans, TraceWriter.Of(decision), ownership, http.RequestAborted).ConfigureAwait(false);
        var rejected = spans.Count - accepted.Count;
        if (rejected > 0 && accepted.Count == 0)
        {
            await ErrorAsync(http, 404, "No trace with these ids: a key writes only to traces of its own team (or its own, without a team).").ConfigureAwait(false);
            return;
        }

        if (accepted.Count > 0 && !queue.TryEnqueue(accepted))
        {
            // Never 200 for spans that would be dropped: the exporter retries after the pause.
            http.Response.Headers.RetryAfter = "1";
            await ErrorAsync(http, 503, "The span queue is full; retry later.").ConfigureAwait(false);
            return;
        }

        // An ExportTraceServiceResponse: empty for full success, partial_success naming what was refused.
        http.Response.StatusCode = 200;
        const string Refusal = "spans of traces that belong to another team (or key) were rejected";
        if (json)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(rejected == 0 ? "{}" : $"{{\"partialSuccess\":{{\"rejectedSpans\":\"{rejected}\",\"errorMessage\":\"{Refusal}\"}}}}", http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            http.Response.ContentType = "application/x-protobuf";
            var answer = rejected == 0 ? [] : OtlpPartialSuccess.Encode(rejected, Refusal);
            http.Response.ContentLength = answer.Length;
            await http.Response.Body.WriteAsync(answer, http.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The spans the writer may add, stamped with who wrote them; spans of traces it may not reach are left out.</summary>
    private static async Task<IReadOnlyList<IngestedSpan>> OwnedAsync(IReadOnlyList<IngestedSpan> spans, TraceWriter writer, ITraceOwnership ownership, CancellationToken cancellationToken)
    {
        var refused = await ownership.RefusedAsync(spans.Select(s => s.TraceId).ToHashSet(StringComparer.Ordinal), writer, cancellationToken).ConfigureAwait(false);
        var kept = refused.Count == 0 ? spans : spans.Where(s => !refused.Contains(s.TraceId)).ToList();
        foreach (var span in kept)
        {
            span.WriterKey = writer.KeyId;
            span.WriterTeam = writer.Team;
        }

        return kept;
    }

    /// <summary>
    /// Langfuse's batch ingestion: <c>score-create</c> events become scores; other event types are
    /// reported back as errors (traces come over OTLP). Answers 207 with per-event results, as Langfuse does.
    /// </summary>
    private static async Task LangfuseIngestionAsync(HttpContext http, ScoreIntake scores, ApiAccess access)
    {
        var decision = access.Authorize(http.Request, KeyScopes.Ingest);
        if (!decision.Allowed)
        {
            await DeniedAsync(http, decision, " (Basic auth with the key as password).").ConfigureAwait(false);
            return;
        }

        var writer = TraceWriter.Of(decision);

        using var body = await Ingress.RequestBodyReader.ReadAsync(http.Request, MaxBody, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await ErrorAsync(http, 413, $"The batch is larger than {MaxBody} bytes.").ConfigureAwait(false);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Memory, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            await ErrorAsync(http, 400, $"Not valid JSON: {ex.Message.Split(" LineNumber")[0]}").ConfigureAwait(false);
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
            {
                await ErrorAsync(http, 400, "Expected {\"batch\": [...]}.").ConfigureAwait(false);
                return;
            }

            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                var errors = new List<(string Id, int Status, string Message)>();
                json.WriteStartArray("successes");
                foreach (var item in batch.EnumerateArray())
                {
                    var id = item.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : "";
                    var type = item.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : null;
                    if (type != "score-create" || !item.TryGetProperty("body", out var scoreBody) || scoreBody.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add((id, 400, type is null ? "event without a type" : $"'{type}' is not accepted here; send traces over OTLP to /api/public/otel/v1/traces"));
                        continue;
                    }

                    var (_, error, status) = await scores.AddScoreAsync(LangfuseScore(scoreBody), writer).ConfigureAwait(false);
                    if (error is null)
                    {
                        json.WriteStartObject();
                        json.WriteString("id", id);
                        json.WriteNumber("status", 201);
                        json.WriteEndObject();
                    }
                    else
                    {
                        errors.Add((id, status, error));
                    }
                }

                json.WriteEndArray();
                json.WriteStartArray("errors");
                foreach (var (id, status, message) in errors)
                {
                    json.WriteStartObject();
                    json.WriteString("id", id);
                    json.WriteNumber("status", status);
                    json.WriteString("message", message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            http.Response.StatusCode = 207;
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Langfuse's score body (traceId, observationId, name, value, dataType, comment) in Switchyard's shape.</summary>
    private static byte[] LangfuseScore(JsonElement body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (from, to) in (ReadOnlySpan<(string, string)>)[("traceId", "trace_id"), ("observationId", "span_id"), ("name", "name"), ("value", "value"), ("comment", "comment")])
            {
                if (body.TryGetProperty(from, out var value))
                {
                    json.WritePropertyName(to);
                    value.WriteTo(json);
                }
            }

            if (body.TryGetProperty("dataType", out var dataType) && dataType.ValueKind == JsonValueKind.String)
            {
                json.WriteString("data_type", dataType.GetString()!.ToLowerInvariant());
            }

            json.WriteString("source", "sdk");
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A refused key, with how to send one on 401; a throttled address gets <c>Retry-After</c>, which exporters honour.</summary>
    private static Task DeniedAsync(HttpContext http, AccessDecision denied, string howToSend)
    {
        if (denied.RetryAfter is { } retry)
        {
            GatewayErrors.SetRetryAfter(http.Response.Headers, retry);
        }

        return ErrorAsync(http, denied.Status, denied.Status == 401 ? denied.Message + howToSend : denied.Message!);
    }

    private static Task ErrorAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        var type = status switch
        {
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            429 => "rate_limit_error",
            _ => "invalid_request_error",
        };
        return http.Response.WriteAsJsonAsync(new ErrorBody(new ErrorDetail(message, type, null)), ErrorJson.Default.ErrorBody, contentType: null, http.RequestAborted);
    }
}
