using Switchyard.Configuration;
using Switchyard.Gateway;

namespace Switchyard.Ingress;

/// <summary>
/// Reads the body (bounded), validates it and reads the fields the gateway needs; resolves the model
/// group. Bad input ends here with a 4xx in the API's own error shape.
/// </summary>
internal sealed class IngressStage(SwitchyardOptions options, Routing.ModelCatalog catalog, Hosting.RandomSource random) : CallStage
{
    private readonly TracingOptions _tracing = options.Tracing;

    private readonly RequestLimits _limits = new(options.Server.MaxJsonDepth, options.Server.MaxMessages);
    private readonly long _maxBody = options.Server.MaxRequestBodyBytes;

    public override async ValueTask InvokeAsync(CallContext call, CallDelegate next)
    {
        var request = call.Http.Request;
        if (request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase) && !contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            await GatewayErrors.WriteAsync(call, 415, "invalid_request_error", $"Unsupported content type '{contentType}'; send application/json.").ConfigureAwait(false);
            return;
        }

        RequestBody? body;
        try
        {
            body = await RequestBodyReader.ReadAsync(request, _maxBody, call.Aborted).ConfigureAwait(false);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            await GatewayErrors.WriteAsync(call, ex.StatusCode, "invalid_request_error", $"The request body could not be read: {ex.Message}").ConfigureAwait(false);
            return;
        }

        if (body is null)
        {
            await GatewayErrors.WriteAsync(call, 413, "invalid_request_error", $"The request body is larger than {_maxBody} bytes (server.max_request_body_bytes).", "request_too_large").ConfigureAwait(false);
            return;
        }

        if (call.ReplaceBody(body, _limits) is { } error)
        {
            await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", error).ConfigureAwait(false);
            return;
        }

        if (call.Request.ContextValue.End.Value > 0 && call.Api is ClientApi.ChatCompletions or ClientApi.Messages)
        {
            if ((ContextExtension.Extract(call.Body.Span, out var documents, out var stripped) ?? call.ReplaceBody(RequestBody.CopyOf(stripped), _limits)) is { } contextError)
            {
                await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", contextError).ConfigureAwait(false);
                return;
            }

            call.Context = documents;
        }

        var parsed = call.Request;
        if (CallerHints.Apply(call) is { } hintError)
        {
            await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", hintError).ConfigureAwait(false);
            return;
        }

        // A key may set its own capture policy (for example metadata only for a tenant with sensitive data).
        var capture = (call.Caller.Key?.Capture ?? _tracing.Capture) switch
        {
            CaptureMode.Full => true,
            CaptureMode.Sample => random.NextDouble() < _tracing.SampleRate,
            _ => false,
        };
        if (capture)
        {
            // The first component: it keeps the answer as the client gets it, after every other one.
            call.Capture = new Recording.ContentCapture(_tracing.MaxContentBytes);
            call.Response.Add(call.Capture);
        }

        // A call that names a stored prompt gets its model from the prompt version: the prompt stage resolves it.
        if (!Prompts.Serving.PromptReference.Present(call) && !await ModelGroupResolver.ResolveAsync(call, catalog).ConfigureAwait(false))
        {
            return;
        }

        await next(call).ConfigureAwait(false);
    }
}
