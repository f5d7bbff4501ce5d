using Switchyard.Limits;

namespace Switchyard.Identity;

internal sealed record Team : LimitedSubject
{
    public string? Name { get; init; }

    public override SubjectKind Kind => SubjectKind.Team;
}
