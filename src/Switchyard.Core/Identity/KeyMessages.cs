namespace Switchyard.Identity;

/// <summary>What a caller is told when its key is refused: never the key itself.</summary>
internal static class KeyMessages
{
    public static string Rejected(KeyCheck check, VirtualKey? key) => check switch
    {
        KeyCheck.Revoked => $"The API key '{key!.Id}' was revoked.",
        KeyCheck.Expired => $"The API key '{key!.Id}' expired at {key.ExpiresAt:O}.",
        KeyCheck.RotatedOut => $"The API key '{key!.Id}' was rotated and the old secret's grace period has ended; use the new secret.",
        _ => "The API key is not valid.",
    };
}
