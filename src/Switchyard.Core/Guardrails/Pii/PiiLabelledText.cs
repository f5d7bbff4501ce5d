namespace Switchyard.Guardrails.Pii;

/// <summary>One evaluation row: a text and its gold entities in code-point offsets.</summary>
internal sealed record PiiLabelledText(string Text, IReadOnlyList<PiiSpan> Entities);
