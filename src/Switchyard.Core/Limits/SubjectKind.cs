namespace Switchyard.Limits;

/// <summary>What a limit or budget belongs to.</summary>
internal enum SubjectKind
{
    Global,
    ModelGroup,
    Team,
    User,
    Key,
}
