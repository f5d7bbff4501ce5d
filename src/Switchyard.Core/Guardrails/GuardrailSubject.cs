namespace Switchyard.Guardrails;

/// <summary>A key or user and how many guard verdicts fired on its calls (and on how many calls).</summary>
internal sealed record GuardrailSubject(string Subject, long Fired, long Calls);
