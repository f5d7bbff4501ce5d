using Switchyard.Configuration;
using Switchyard.Limits;

namespace Switchyard.Identity;

/// <summary>A virtual key as stored: never its secret, only the secret's hash (and the previous one during a rotation).</summary>
internal sealed record VirtualKey : LimitedSubject
{
    public required string Name { get; init; }

    /// <summary>Start and end of the secret, so people can tell keys apart.</summary>
    public required string Hint { get; init; }

    public required SecretHash SecretHash { get; init; }

    /// <summary>The secret before the last rotation, valid until <see cref="PreviousValidUntil"/>.</summary>
    public SecretHash? PreviousHash { get; init; }

    public DateTimeOffset? PreviousValidUntil { get; init; }

    public string? TeamId { get; init; }

    public string? UserId { get; init; }

    public KeyScopes Scopes { get; init; } = KeyScopes.Inference;

    /// <summary>Model groups this key may call; null means all.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Content capture for this key's calls; null follows <c>tracing.capture</c>.</summary>
    public CaptureMode? Capture { get; init; }

    /// <summary>The key's own guardrail lists; null follows its team's, then the model group's.</summary>
    public GuardrailLists? Guardrails { get; init; }

    public override SubjectKind Kind => SubjectKind.Key;

    public bool AllowsModel(string group)
    {
        if (Models is null)
        {
            return true;
        }

        foreach (var model in Models)
        {
            if (string.Equals(model, group, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
