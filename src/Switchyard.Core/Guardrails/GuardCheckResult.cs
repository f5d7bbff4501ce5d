namespace Switchyard.Guardrails;

/// <summary>What a check outside the request path found: the verdict that blocks (if any), every verdict, and the texts as the guards left them.</summary>
internal sealed record GuardCheckResult(GuardVerdict? Blocked, IReadOnlyList<GuardVerdict> Verdicts, IReadOnlyList<GuardText> Texts, IReadOnlySet<int> Changed);
