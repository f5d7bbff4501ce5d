namespace Switchyard.Identity;

/// <summary>Everything <see cref="IIdentityStore"/> holds, as loaded at start.</summary>
internal sealed record StoredIdentities(IReadOnlyList<Team> Teams, IReadOnlyList<UserAccount> Users, IReadOnlyList<VirtualKey> Keys);
