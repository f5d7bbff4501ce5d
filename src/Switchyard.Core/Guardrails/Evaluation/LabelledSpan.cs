namespace Switchyard.Guardrails.Evaluation;

/// <summary>An entity of a labelled or predicted text: its type and its code-point span, end exclusive.</summary>
internal readonly record struct LabelledSpan(string Type, int Start, int End);
