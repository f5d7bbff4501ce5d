using Microsoft.AspNetCore.Http;

namespace Switchyard.Identity;

/// <summary>Finds the key a request presents: <c>Authorization: Bearer</c>, else <c>x-api-key</c> (Anthropic SDKs).</summary>
internal static class PresentedKey
{
    public static ReadOnlySpan<char> From(HttpRequest request)
    {
        if (request.Headers.Authorization.ToString() is { Length: > 7 } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization.AsSpan(7).Trim();
        }

        return request.Headers["x-api-key"].ToString().AsSpan().Trim();
    }
}
