namespace Switchyard.Guardrails;

/// <summary>What a guard found where: an entity type or a signal, the text it is in and its span (UTF-16). Never the value.</summary>
/// <param name="Type">An entity type (<c>EMAIL_ADDRESS</c>) or what fired (<c>deny[0]</c>, <c>max_input_tokens</c>).</param>
/// <param name="Text">The index of the text in the call's texts.</param>
/// <param name="Start">Where the span starts; 0 with <paramref name="Length"/> 0 when the finding is about the whole text.</param>
/// <param name="Length">The span's length.</param>
/// <param name="Action">What was done to this span: the guard's action, or the entity type's own.</param>
internal readonly record struct GuardFinding(string Type, int Text, int Start, int Length, Configuration.GuardAction Action);
