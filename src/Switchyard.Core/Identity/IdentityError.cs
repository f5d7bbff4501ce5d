namespace Switchyard.Identity;

/// <summary>An error from a change to keys, users or teams, with the HTTP status it maps to.</summary>
internal sealed record IdentityError(int Status, string Message, string Code);
