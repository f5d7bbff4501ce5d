using Switchyard.Identity;

namespace Switchyard.Gateway;

/// <summary>Who is calling: the virtual key (none for the admin key or anonymous local use) and the user and team that own it.</summary>
internal sealed record Caller(VirtualKey? Key, UserAccount? Owner, Team? Team, bool IsAdmin)
{
    public static readonly Caller Anonymous = new(null, null, null, false);

    public static readonly Caller Admin = new(null, null, null, true);

    public string? KeyId => Key?.Id ?? (IsAdmin ? "admin" : null);

    public string? TeamId => Team?.Id;
}
