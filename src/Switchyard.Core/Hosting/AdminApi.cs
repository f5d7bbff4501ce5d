using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Identity;
using Switchyard.Routing;
using Switchyard.Storage;

namespace Switchyard.Hosting;

/// <summary>The admin API under <c>/api</c>, guarded by the admin key.</summary>
internal static class AdminApi
{
    private const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.ServiceProvider.GetRequiredService<AdminKey>();
        var api = app.MapGroup("/api");
        api.AddEndpointFilter(async (context, next) =>
        {
            var presented = PresentedKey.From(context.HttpContext.Request);
            if (presented.IsEmpty || !admin.Matches(presented))
            {
                return Results.Json(new ErrorBody(new ErrorDetail("The admin key is required: send 'Authorization: Bearer <admin key>'.", "authentication_error", "invalid_api_key")), ErrorJson.Default.ErrorBody, statusCode: 401);
            }

            return await next(context).ConfigureAwait(false);
        });

        api.MapGet("/models", (ModelCatalog catalog) => Results.Bytes(DescribeModels(catalog), "application/json"));
        api.MapGet("/traces", (SqliteDatabase db, int? limit) => Results.Bytes(QueryCalls(db, null, Math.Clamp(limit ?? 50, 1, MaxLimit)), "application/json"));
        api.MapGet("/traces/{traceId}", (SqliteDatabase db, string traceId) =>
        {
            if (traceId.Length != 32 || !traceId.All(char.IsAsciiHexDigit))
            {
                return Results.Json(new ErrorBody(new ErrorDetail("A trace id is 32 hexadecimal characters.", "invalid_request_error", "invalid_trace_id")), ErrorJson.Default.ErrorBody, statusCode: 400);
            }

            var body = QueryCalls(db, traceId.ToLowerInvariant(), MaxLimit);
            return body.Length <= "{\"data\":[]}".Length
                ? Results.Json(new ErrorBody(new ErrorDetail($"No trace {traceId}.", "invalid_request_error", "not_found")), ErrorJson.Default.ErrorBody, statusCode: 404)
                : Results.Bytes(body, "application/json");
        });
        api.Map("/{**rest}", () => Results.Json(new ErrorBody(new ErrorDetail("Unknown admin endpoint.", "invalid_request_error", "unknown_url")), ErrorJson.Default.ErrorBody, statusCode: 404));
        return app;
    }

    private static byte[] DescribeModels(ModelCatalog catalog)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var group in catalog.Groups)
            {
                json.WriteStartObject();
                json.WriteString("name", group.Name);
                json.WriteStartArray("deployments");
                foreach (var d in group.Deployments)
                {
                    // Secrets never leave the process: only whether one is set.
                    json.WriteStartObject();
                    json.WriteString("name", d.Name);
                    json.WriteString("provider", d.Provider);
                    json.WriteString("model", d.Model);
                    json.WriteString("base_url", d.Options.BaseUrl);
                    json.WriteBoolean("api_key_set", !string.IsNullOrEmpty(d.Options.ApiKey));
                    json.WriteNumber("weight", d.Options.Weight);
                    json.WriteBoolean("simulated", d.IsSimulated);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static byte[] QueryCalls(SqliteDatabase db, string? traceId, int limit)
    {
        using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = traceId is null
            ? "SELECT * FROM calls ORDER BY start_time_us DESC LIMIT $limit"
            : "SELECT * FROM calls WHERE trace_id = $trace ORDER BY start_time_us LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        if (traceId is not null)
        {
            command.Parameters.AddWithValue("$trace", traceId);
        }

        using var reader = command.ExecuteReader();
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            while (reader.Read())
            {
                WriteRow(json, reader);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteRow(Utf8JsonWriter json, SqliteDataReader reader)
    {
        json.WriteStartObject();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i);
            if (reader.IsDBNull(i))
            {
                json.WriteNull(name);
                continue;
            }

            switch (name)
            {
                case "attempts":
                    json.WritePropertyName(name);
                    json.WriteRawValue(reader.GetString(i));
                    break;
                case "stream" or "usage_reported":
                    json.WriteBoolean(name, reader.GetInt64(i) != 0);
                    break;
                case "start_time_us":
                    json.WriteString("start_time", DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i) / 1000).ToString("O"));
                    break;
                default:
                    if (reader.GetFieldType(i) == typeof(long))
                    {
                        json.WriteNumber(name, reader.GetInt64(i));
                    }
                    else
                    {
                        json.WriteString(name, reader.GetString(i));
                    }

                    break;
            }
        }

        json.WriteEndObject();
    }
}
