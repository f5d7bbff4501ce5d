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
        var mode = app.ServiceProvider.GetRequiredService<AuthMode>();
        var registry = app.ServiceProvider.GetRequiredService<KeyRegistry>();
        app.MapFeedbackApi();
        var api = app.MapGroup("/api");
        api.AddEndpointFilter(async (context, next) =>
        {
            // Reads need 'read', changes need 'admin', unless the endpoint says otherwise (scores: 'ingest').
            var http = context.HttpContext;
            var needed = http.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scopes
                ?? (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? KeyScopes.Read : KeyScopes.Admin);
            // An endpoint for applications (inference scope) is as open as /v1: on a loopback-only gateway
            // with no keys yet, a call without a key is let through, as a model call would be.
            if (needed == KeyScopes.Inference && mode.AnonymousInference && !registry.HasKeys && PresentedKey.From(http.Request).IsEmpty)
            {
                return await next(context).ConfigureAwait(false);
            }

            var decision = access.Authorize(http.Request, needed);
            if (!decision.Allowed)
            {
                return ApiBody.Denied(http, decision);
            }

            Reach.Set(http, decision.Scope);
            return await next(context).ConfigureAwait(false);
        });

        api.MapGet("/models", (ModelCatalog catalog) => ApiBody.Ok(DescribeModels(catalog), AdminJson.Default.DataListModelGroupView));
        api.MapTracesApi();
        api.MapKeysApi();
        api.MapOwnersApi();
        api.MapSpendApi();
        api.MapAlertsApi();
        api.MapCacheApi();
        api.MapGuardrailsApi();
        api.MapPromptsApi();
        api.MapPromptTrafficApi();
        api.MapDatasetsApi();
        api.Map("/{**rest}", () => Results.Json(new ErrorBody(new ErrorDetail("Unknown admin endpoint.", "invalid_request_error", "unknown_url")), ErrorJson.Default.ErrorBody, statusCode: 404));
        return app;
    }

    private static DataList<ModelGroupView> DescribeModels(ModelCatalog catalog) => new([.. catalog.Groups.Select(group => new ModelGroupView(group.Name, [.. group.Deployments.Select(d =>
        new DeploymentView(d.Name, d.Provider, d.Model, d.Options.BaseUrl, !string.IsNullOrEmpty(d.Options.ApiKey), d.Options.Weight, d.IsSimulated))]))]);
}
