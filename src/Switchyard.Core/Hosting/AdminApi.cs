using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Identity;
using Switchyard.Routing;

namespace Switchyard.Hosting;

/// <summary>The admin API under <c>/api</c>: the admin key, or a virtual key with the scope the endpoint needs.</summary>
internal static class AdminApi
{
        public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<ApiAccess>();
        app.MapFeedbackApi();
        var api = app.MapGroup("/api");
        api.AddEndpointFilter(async (context, next) =>
        {
            // Reads need 'read', changes need 'admin', unless the endpoint says otherwise (scores: 'ingest').
            var http = context.HttpContext;
            var needed = http.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scopes
                ?? (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? KeyScopes.Read : KeyScopes.Admin);
            var decision = access.Authorize(http.Request, needed);
            if (!decision.Allowed)
            {
                return ApiBody.Denied(http, decision);
            }

            Reach.Set(http, decision.Scope);
            return await next(context).ConfigureAwait(false);
        });

        api.MapGet("/models", (ModelCatalog catalog) => Results.Bytes(DescribeModels(catalog), "application/json"));
        api.MapTracesApi();
        api.MapKeysApi();
        api.MapOwnersApi();
        api.MapSpendApi();
        api.MapAlertsApi();
        api.MapCacheApi();
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
}
