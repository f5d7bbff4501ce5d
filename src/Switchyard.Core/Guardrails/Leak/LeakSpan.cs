namespace Switchyard.Guardrails.Leak;

/// <summary>
/// A leaked part of the answer: <paramref name="Start"/> and <paramref name="Length"/> in UTF-16 code
/// units of the original answer text, from its first leaked word to its last (or the canary itself).
/// </summary>
/// <param name="Words">The span's length in words (for a canary, its words as the detector counts them, at least 1).</param>
internal sealed record LeakSpan(int Start, int Length, int Words, LeakKind Kind);
