using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Identity;
using Switchyard.Routing;

namespace Switchyard.Hosting;

/// <summary>The OpenAI- and Anthropic-compatible endpoints under <c>/v1</c>.</summary>
internal static class GatewayEndpoints
{
    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder app)
    {
        var handler = app.ServiceProvider.GetRequiredService<GatewayHandler>();

        // Short-circuited: routing runs the call as soon as it matches, skipping the dashboard's cookie
        // authentication, authorization and antiforgery middleware (the gateway decides who calls in
        // IdentityStage), which cost about 4 % of a plain call's CPU (docs/benchmarks.md, issue 16).
        app.MapPost("/v1/chat/completions", (HttpContext http) => handler.HandleAsync(http, ClientApi.ChatCompletions)).ShortCircuit();
        app.MapPost("/v1/responses", (HttpContext http) => handler.HandleAsync(http, ClientApi.Responses)).ShortCircuit();
        app.MapPost("/v1/embeddings", (HttpContext http) => handler.HandleAsync(http, ClientApi.Embeddings)).ShortCircuit();
        app.MapPost("/v1/messages", (HttpContext http) => handler.HandleAsync(http, ClientApi.Messages)).ShortCircuit();
        app.MapPost("/v1/messages/count_tokens", (HttpContext http) => handler.HandleAsync(http, ClientApi.CountTokens)).ShortCircuit();

        // Clients often call these without the /v1 prefix when given a bare base URL.
        app.MapPost("/chat/completions", (HttpContext http) => handler.HandleAsync(http, ClientApi.ChatCompletions)).ShortCircuit();
        app.MapPost("/responses", (HttpContext http) => handler.HandleAsync(http, ClientApi.Responses)).ShortCircuit();
        app.MapPost("/embeddings", (HttpContext http) => handler.HandleAsync(http, ClientApi.Embeddings)).ShortCircuit();

        var catalog = app.ServiceProvider.GetRequiredService<ModelCatalog>();
        var models = ModelsJson(catalog);

        // Open by default (even where /v1 needs a key), unless auth.require_key_for names models:
        // then an inference key, even while /v1 itself is open on loopback.
        var protect = app.ServiceProvider.GetRequiredService<SwitchyardOptions>().Auth.RequireKeyFor;
        var access = app.ServiceProvider.GetRequiredService<ApiAccess>();
        app.MapGet("/v1/models", () => Results.Bytes(models, "application/json"))
            .RequireKeyIf(protect, ProtectedEndpoints.Models, access, KeyScopes.Inference, FailedAuthThrottle.V1);
        app.MapGet("/models", () => Results.Bytes(models, "application/json"))
            .RequireKeyIf(protect, ProtectedEndpoints.Models, access, KeyScopes.Inference, FailedAuthThrottle.V1);
        app.MapGet("/v1/models/{**id}", (string id) => catalog.TryGet(id, out var group)
            ? Results.Bytes(ModelJson(group), "application/json")
            : Results.Json(new ErrorBody(new ErrorDetail($"The model '{id}' does not exist on this gateway.", "invalid_request_error", "model_not_found")), ErrorJson.Default.ErrorBody, statusCode: 404))
            .RequireKeyIf(protect, ProtectedEndpoints.Models, access, KeyScopes.Inference, FailedAuthThrottle.V1);

        app.Map("/v1/{**rest}", (HttpContext http) => Results.Json(
            new ErrorBody(new ErrorDetail($"Unknown endpoint {http.Request.Method} {http.Request.Path}.", "invalid_request_error", "unknown_url")),
            ErrorJson.Default.ErrorBody,
            statusCode: 404));
        return app;
    }

    private static byte[] ModelsJson(ModelCatalog catalog)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var group in catalog.Groups)
            {
                WriteModel(writer, group);
            }

            writer.WriteEndArray();

            // Anthropic's list envelope, so Anthropic SDKs page through the same answer.
            writer.WriteBoolean("has_more", false);
            var names = catalog.Groups.Select(g => g.Name).ToList();
            writer.WriteString("first_id", names.FirstOrDefault());
            writer.WriteString("last_id", names.LastOrDefault());
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static byte[] ModelJson(ModelGroup group)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteModel(writer, group);
        }

        return stream.ToArray();
    }

    private static void WriteModel(Utf8JsonWriter writer, ModelGroup group)
    {
        writer.WriteStartObject();
        writer.WriteString("id", group.Name);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", 0);
        var providers = group.Deployments.Select(d => d.Provider).Distinct().ToArray();
        writer.WriteString("owned_by", group.IsSimulated ? "switchyard-sandbox (simulated)" : string.Join(",", providers));
        // Anthropic's model list shape, so Anthropic SDKs can list models too.
        writer.WriteString("type", "model");
        writer.WriteString("created_at", "1970-01-01T00:00:00Z");
        writer.WriteString("display_name", group.IsSimulated ? $"{group.Name} (simulated by Switchyard sandbox)" : group.Name);
        writer.WriteBoolean("simulated", group.IsSimulated);
        writer.WriteStartArray("providers");
        foreach (var provider in providers)
        {
            writer.WriteStringValue(provider);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
