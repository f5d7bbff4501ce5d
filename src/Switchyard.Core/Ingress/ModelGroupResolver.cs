using Switchyard.Gateway;

namespace Switchyard.Ingress;

/// <summary>
/// Finds the model group a request names, and refuses what its API would refuse before any upstream
/// sees it. Ingress does this for plain calls; the prompt stage for calls whose prompt decides the model.
/// </summary>
internal static class ModelGroupResolver
{
    /// <summary>Sets <see cref="CallContext.Group"/>, or answers the call with the error and returns false.</summary>
    public static async ValueTask<bool> ResolveAsync(CallContext call, Routing.ModelCatalog catalog)
    {
        var parsed = call.Request;
        if (string.IsNullOrEmpty(parsed.Model))
        {
            var hint = call.Prompt is { } prompt ? $" Prompt '{prompt.Name}' version {prompt.Version} names no model group, so the request must." : "";
            await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", "'model' is required." + hint, "missing_model").ConfigureAwait(false);
            return false;
        }

        // Anthropic refuses a Messages call without max_tokens (count_tokens takes none); checked here so
        // that every deployment, OpenAI-speaking ones and the sandbox included, answers as Anthropic would.
        if (call.Api == ClientApi.Messages && parsed.MaxTokens is not > 0)
        {
            var problem = parsed.MaxTokens is null ? "max_tokens: Field required" : "max_tokens: Input should be greater than or equal to 1";
            await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", problem).ConfigureAwait(false);
            return false;
        }

        if (!catalog.TryGet(parsed.Model, out var group))
        {
            await GatewayErrors.WriteAsync(call, 404, "invalid_request_error", $"The model '{parsed.Model}' does not exist on this gateway; GET /v1/models lists the models it serves.", "model_not_found").ConfigureAwait(false);
            return false;
        }

        call.Group = group;
        return true;
    }
}
