using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Identity;
using Switchyard.Ingress;

namespace Switchyard.Prompts.Serving;

/// <summary>
/// Turns a prompt reference into the request it stands for, before admission (the rendered prompt is
/// what limits estimate, guards check, the cache keys and the upstream gets): resolves the label or
/// version, checks the variables, renders, applies the version's model group and settings, and records
/// which version the call used. An unknown prompt, label or version is a 404; a missing, unknown or
/// mistyped variable a 400 that names it.
/// </summary>
internal sealed class PromptStage(PromptCatalog prompts, Traffic.TrafficSplits splits, Routing.ModelCatalog models, SwitchyardOptions options) : CallStage
{
    private readonly RequestLimits _limits = new(options.Server.MaxJsonDepth, options.Server.MaxMessages);

    public override async ValueTask InvokeAsync(CallContext call, CallDelegate next)
    {
        var reference = PromptReference.Read(call, out var error);
        if (error is not null)
        {
            await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", error, "invalid_prompt_reference").ConfigureAwait(false);
            return;
        }

        if (reference is null)
        {
            await next(call).ConfigureAwait(false);
            return;
        }

        var resolution = await prompts.ResolveAsync(reference, call.Aborted).ConfigureAwait(false);
        if (resolution.Prompt is not { } prompt)
        {
            await GatewayErrors.WriteAsync(call, 404, "invalid_request_error", resolution.NotFound!, "prompt_not_found").ConfigureAwait(false);
            return;
        }

        // A running experiment or rollout on the label decides the version (and maybe the model) per unit.
        Traffic.TrafficVariant? arm = null;
        if (reference.Version is null && await splits.ForAsync(reference.Name, resolution.Label!, call.Aborted).ConfigureAwait(false) is { } split)
        {
            arm = Traffic.TrafficAssignment.Pick(split, split.Arms(), UnitOf(call, split.Unit));
            if (arm.Version != prompt.Version.Version)
            {
                var chosen = await prompts.ResolveAsync(reference with { Label = null, Version = arm.Version }, call.Aborted).ConfigureAwait(false);
                if (chosen.Prompt is not { } armPrompt)
                {
                    await GatewayErrors.WriteAsync(call, 404, "invalid_request_error", chosen.NotFound!, "prompt_not_found").ConfigureAwait(false);
                    return;
                }

                prompt = armPrompt;
            }
        }

        var version = prompt.Version;
        call.Prompt = new PromptUse(version.Name, version.Version, resolution.Label, arm?.Name);
        if (prompt.Bind(reference.Variables, out var problem) is not { } values)
        {
            await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", problem!, "invalid_prompt_variables").ConfigureAwait(false);
            return;
        }

        var mayOverride = call.Caller.IsAdmin || call.Caller.Key?.Scopes.Allows(KeyScopes.PromptOverride) == true;
        var body = PromptRequestBuilder.Build(call.Api, call.Body.Span, prompt, values, reference.InBody, mayOverride, arm?.ModelGroup, arm?.ParametersJson);
        if (call.ReplaceBody(RequestBody.CopyOf(body), _limits) is { } bodyError)
        {
            await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", $"The request rendered from prompt '{version.Name}' version {version.Version} is not valid: {bodyError}").ConfigureAwait(false);
            return;
        }

        call.PinnedModel = version.Content.PinnedModel;
        call.Http.Response.Headers[PromptReference.Header] = call.Prompt.Header();
        if (!await ModelGroupResolver.ResolveAsync(call, models).ConfigureAwait(false))
        {
            return;
        }

        await next(call).ConfigureAwait(false);
    }

    /// <summary>What assignment sticks to: the split's unit, falling back to the next one a call has; a call with none is its own unit.</summary>
    private static string UnitOf(CallContext call, string unit)
    {
        var user = unit == "user" ? call.User : null;
        var session = unit is "user" or "session" ? call.Session : null;
        return user is not null ? "u:" + user
            : session is not null ? "s:" + session
            : call.Caller.KeyId is { } key ? "k:" + key
            : "t:" + call.Trace.TraceIdHex;
    }
}
