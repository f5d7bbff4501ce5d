using Switchyard.Gateway;

namespace Switchyard.Identity;

/// <summary>
/// Decides who is calling. With no keys defined on a loopback-only listener, <c>/v1</c> is open for
/// local development (SDKs must send some key; it is ignored); otherwise a valid key is required.
/// </summary>
internal sealed class IdentityStage(AdminKey adminKey, AuthMode mode) : CallStage
{
    public override ValueTask InvokeAsync(CallContext call, CallDelegate next)
    {
        var presented = PresentedKey.From(call.Http.Request);
        if (!presented.IsEmpty && adminKey.Matches(presented))
        {
            call.Caller = new Caller("admin", null, User(call), IsAdmin: true);
            return next(call);
        }

        if (mode.AnonymousInference)
        {
            call.Caller = new Caller(null, null, User(call), IsAdmin: false);
            return next(call);
        }

        var message = presented.IsEmpty
            ? "No API key: send 'Authorization: Bearer <key>' (or 'x-api-key')."
            : "The API key is not valid.";
        return new ValueTask(GatewayErrors.WriteAsync(call, 401, "authentication_error", message, "invalid_api_key"));
    }

    private static string? User(CallContext call) =>
        call.Http.Request.Headers.TryGetValue("x-switchyard-user", out var user) && user.Count > 0 ? user.ToString() : null;
}
