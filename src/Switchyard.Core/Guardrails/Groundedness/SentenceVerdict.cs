namespace Switchyard.Guardrails.Groundedness;

/// <summary>One checked sentence of the answer.</summary>
/// <param name="Start">UTF-16 start in the answer.</param>
/// <param name="Length">UTF-16 length in the answer.</param>
/// <param name="Supported">Whether every check passed.</param>
/// <param name="Reasons">Why it is unsupported ("number 42 not in context", "name Jane Doe not in context", "similarity 0.31 below 0.5"); empty when supported.</param>
/// <param name="Similarity">The best cosine with a context chunk, or null when no embedding function was given.</param>
internal sealed record SentenceVerdict(int Start, int Length, bool Supported, IReadOnlyList<string> Reasons, double? Similarity);
