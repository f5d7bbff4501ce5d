using Switchyard.Limits;

namespace Switchyard.Identity;

/// <summary>A person or service that owns keys; may belong to a team.</summary>
internal sealed record UserAccount : LimitedSubject
{
    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? TeamId { get; init; }

    public override SubjectKind Kind => SubjectKind.User;
}
