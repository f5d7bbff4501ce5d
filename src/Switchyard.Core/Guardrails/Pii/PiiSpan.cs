namespace Switchyard.Guardrails.Pii;

/// <summary>
/// An entity as the evaluation data and its scorer write it: offsets count Unicode code points (Python
/// string indices), end-exclusive, unlike <see cref="PiiEntity"/>'s UTF-16 offsets.
/// </summary>
internal readonly record struct PiiSpan(string Type, int Start, int End);
