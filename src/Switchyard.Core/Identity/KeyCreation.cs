namespace Switchyard.Identity;

/// <summary>What creating a key gave: the failure, or the stored key and its secret, which is shown once and never kept.</summary>
internal readonly record struct KeyCreation(IdentityError? Failure, VirtualKey? Created, string? Secret);
