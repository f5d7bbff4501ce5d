using Switchyard.Gateway;

namespace Switchyard.Identity;

/// <summary>
/// Decides who is calling. On a loopback-only listener with no keys defined, <c>/v1</c> is open for
/// local development (SDKs must send some key; an unknown one is ignored then); otherwise a valid key
/// with the <c>inference</c> scope is required. Runs before the body is read. A client address that
/// failed too often is refused first (<see cref="FailedAuthThrottle"/>).
/// </summary>
internal sealed class IdentityStage(AdminKey adminKey, AuthMode mode, KeyRegistry registry, TimeProvider time, FailedAuthThrottle throttle) : CallStage
{
    public override ValueTask InvokeAsync(CallContext call, CallDelegate next)
    {
        // A guard's judge, sent by this process through its own pipeline; nothing on the wire can set the marker.
        if (Guardrails.External.GatewaySelfCall.IsSelfCall(call.Http))
        {
            call.Caller = Caller.Admin;
            return next(call);
        }

        if (throttle.IsBlocked(call.Http, FailedAuthThrottle.V1, out var retryAfter))
        {
            GatewayErrors.SetRetryAfter(call.Http.Response.Headers, retryAfter);
            return new ValueTask(GatewayErrors.WriteAsync(call, 429, "rate_limit_error", FailedAuthThrottle.Refusal(retryAfter), FailedAuthThrottle.ErrorCode));
        }

        var presented = PresentedKey.From(call.Http.Request);
        var anonymous = mode.AnonymousInference && !registry.HasKeys;
        if (presented.IsEmpty)
        {
            if (anonymous)
            {
                return next(call);
            }

            return Reject(call, 401, "No API key: send 'Authorization: Bearer <key>' (or 'x-api-key').");
        }

        var hash = KeySecret.Hash(presented);
        if (adminKey.Matches(hash))
        {
            call.Caller = Caller.Admin;
            return next(call);
        }

        var check = registry.Check(hash, time.GetUtcNow(), out var key);
        if (check == KeyCheck.Valid)
        {
            if (!key!.Scopes.Allows(KeyScopes.Inference))
            {
                return new ValueTask(GatewayErrors.WriteAsync(call, 403, "permission_error", $"The API key '{key.Id}' does not have the 'inference' scope needed to call models.", "insufficient_scope"));
            }

            call.Caller = new Caller(key, registry.FindUser(key.UserId), registry.TeamOf(key), IsAdmin: false);
            return next(call);
        }

        if (check == KeyCheck.Unknown && anonymous)
        {
            return next(call);
        }

        throttle.RecordFailure(call.Http, FailedAuthThrottle.V1);
        return Reject(call, 401, KeyMessages.Rejected(check, key));
    }

    private static ValueTask Reject(CallContext call, int status, string message) =>
        new(GatewayErrors.WriteAsync(call, status, "authentication_error", message, "invalid_api_key"));
}
