namespace Switchyard.Guardrails.Evaluation;

/// <summary>
/// One row of a labelled set in the format of the shared development data: <c>{"text", "label"}</c> for a
/// detector that decides (injection, topic), <c>{"text", "entities": [{"type","start","end"}]}</c> (code
/// points, end exclusive) for one that finds spans (PII); <c>category</c> groups the figures.
/// </summary>
internal sealed record LabelledRow(string Text, int? Label, string Category, IReadOnlyList<LabelledSpan>? Entities);
