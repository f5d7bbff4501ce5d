namespace Switchyard.Guardrails.Toxicity;

/// <summary>A normalised word and where it came from: UTF-16 start and end in the original text.</summary>
internal readonly record struct ToxicityToken(string Text, int Start, int End);
