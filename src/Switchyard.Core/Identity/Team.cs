using Switchyard.Limits;

namespace Switchyard.Identity;

internal sealed record Team : LimitedSubject
{
    public string? Name { get; init; }

    /// <summary>The guardrail lists of the team's keys where a key has none of its own; null follows the model group's.</summary>
    public GuardrailLists? Guardrails { get; init; }

    public override SubjectKind Kind => SubjectKind.Team;
}
