using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Gateway;

namespace Switchyard.Guardrails.External;

/// <summary>
/// A chat completion sent through this gateway's own pipeline, in process: identity, admission, routing,
/// retries, cost and the call's record all apply, as for a client's call, without a socket or a
/// credential on the wire. The call runs as the admin (a judge is the operator's, not the caller's, so it
/// does not use the caller's rate limit or model list), is tagged <c>guardrail</c>, and is a child of the
/// guarded call's trace. Guardrails do not run on it, so a judge never judges itself.
/// </summary>
internal sealed class GatewaySelfCall(IServiceProvider services)
{
    public const string Tag = "guardrail";

    private static readonly object s_marker = new();

    // Resolved on first use: the handler's own dependencies include the guardrail catalog that holds this.
    private GatewayHandler? _handler;

    public static bool IsSelfCall(HttpContext http) => http.Items.ContainsKey(s_marker);

    /// <summary>Sends <paramref name="body"/> to <c>/v1/chat/completions</c>; the status and body the gateway answered.</summary>
    public async Task<(int Status, byte[] Body)> ChatAsync(byte[] body, string guard, CallContext? parent, CancellationToken cancellationToken)
    {
        var handler = _handler ??= services.GetRequiredService<GatewayHandler>();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Items[s_marker] = true;
        var request = http.Request;
        request.Method = HttpMethods.Post;
        request.Scheme = "http";
        request.Host = new HostString("switchyard.internal");
        request.Path = "/v1/chat/completions";
        request.ContentType = "application/json";
        request.ContentLength = body.Length;
        request.Body = new MemoryStream(body, writable: false);
        request.Headers["x-switchyard-tags"] = Tag;
        request.Headers["x-switchyard-metadata"] = $$"""{"guard":"{{System.Text.Json.JsonEncodedText.Encode(guard)}}"}""";
        if (parent is not null)
        {
            request.Headers.TraceParent = parent.Trace.ToTraceParent();
        }

        using var response = new MemoryStream();
        http.Response.Body = response;
        http.RequestAborted = cancellationToken;
        await handler.HandleAsync(http, ClientApi.ChatCompletions).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return (http.Response.StatusCode, response.ToArray());
    }
}
