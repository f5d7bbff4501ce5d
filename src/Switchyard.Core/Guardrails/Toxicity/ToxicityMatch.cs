namespace Switchyard.Guardrails.Toxicity;

/// <summary>A lexicon hit: UTF-16 start and length in the original text, and the entry that matched.</summary>
internal sealed record ToxicityMatch(string Category, int Start, int Length, string Pattern, double Weight);
