namespace Switchyard.Identity;

/// <summary>
/// What creating a key gave: the failure, or the stored key and its secret, which is shown once and never
/// kept. <paramref name="First"/>: no key existed before this one, so anonymous loopback use of /v1 ends here.
/// </summary>
internal readonly record struct KeyCreation(IdentityError? Failure, VirtualKey? Created, string? Secret, bool First = false);
